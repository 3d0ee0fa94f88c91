package org.vtm.interpreter.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.MultiDataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

class TrainUtilsTest {
    @TempDir
    Path tmp;

    @Test
    void shuffleIsAPermutationDeterminedBySeedAndEpoch() {
        int[] a = EpochShuffle.permutation(7, 3, 50);
        assertArrayEquals(a, EpochShuffle.permutation(7, 3, 50));
        int[] sorted = a.clone();
        Arrays.sort(sorted);
        for (int i = 0; i < 50; i++) {
            assertEquals(i, sorted[i]);
        }
        // other epoch / other seed give other orders (probability of equality 1/50!)
        assertFalse(Arrays.equals(a, EpochShuffle.permutation(7, 4, 50)));
        assertFalse(Arrays.equals(a, EpochShuffle.permutation(8, 3, 50)));
    }

    @Test
    void historyRefusesGapsAndRoundTrips() throws IOException {
        TrainingHistory h = new TrainingHistory();
        h.add(new EpochRecord(0, 1.5, Double.NaN, 100, 2));
        h.add(new EpochRecord(1, 1.0, 0.9, 120, 2.5));
        assertThrows(IllegalStateException.class, () -> h.add(new EpochRecord(3, 1, 1, 1, 1)));
        assertThrows(IllegalStateException.class, () -> h.add(new EpochRecord(1, 1, 1, 1, 1)));
        Path f = tmp.resolve("history.json");
        h.write(f);
        TrainingHistory back = TrainingHistory.read(f);
        assertEquals(h.epochs().get(1), back.epochs().get(1));
        assertTrue(Double.isNaN(back.epochs().get(0).validationLoss()));
    }

    @Test
    void earlyStoppingCountsEpochsWithoutImprovement() {
        EarlyStopping es = new EarlyStopping(2);
        assertTrue(es.update(1.0));
        assertFalse(es.update(1.0)); // equal is not an improvement
        assertFalse(es.shouldStop());
        assertTrue(es.update(0.5));
        assertFalse(es.update(0.6));
        assertFalse(es.update(0.7));
        assertTrue(es.shouldStop());
        assertEquals(0.5, es.best());
    }

    @Test
    void checkpointsAreAtomicPrunedAndLatestWins() throws IOException {
        CheckpointStore store = new CheckpointStore(tmp.resolve("ckpt"), 2);
        assertTrue(store.latest().isEmpty());
        for (int e = 0; e < 3; e++) {
            int epoch = e;
            store.write(new TrainingState(epoch, 0, 5, 0, 1.0 / (epoch + 1), 0, 0, 0, 0, new TrainingHistory()),
                    dir -> Files.writeString(dir.resolve("model.txt"), "m" + epoch));
        }
        assertEquals(java.util.List.of(2L, 3L), store.sequences());
        CheckpointStore.Checkpoint c = store.latest().orElseThrow();
        assertEquals(2, c.state().epoch());
        assertEquals("m2", Files.readString(c.directory().resolve("model.txt")));
        // a writer that fails leaves no checkpoint behind
        assertThrows(IOException.class, () -> store.write(TrainingState.start(5), dir -> {
            Files.writeString(dir.resolve("model.txt"), "half");
            throw new IOException("disk full");
        }));
        assertEquals(3, store.latest().orElseThrow().sequence());
        // a stale partial directory (a killed writer) is ignored by latest() and removed by write()
        Path stale = tmp.resolve("ckpt/.ckpt-000009.partial-1");
        Files.createDirectories(stale);
        assertEquals(3, store.latest().orElseThrow().sequence());
        store.write(TrainingState.start(5), dir -> { });
        assertFalse(Files.exists(stale));
        // a damaged state file is an error naming it
        Path latestState = store.latest().orElseThrow().directory().resolve(CheckpointStore.STATE_FILE);
        Files.writeString(latestState, "{not json");
        IOException ex = assertThrows(IOException.class, store::latest);
        assertTrue(ex.getMessage().contains(latestState.toString()), ex.getMessage());
    }

    @Test
    void modelDescriptionRefusesNewerFormatsAndNamesTheFile() throws IOException {
        ModelDescription d = ModelDescription.create("test-model", 42);
        d.properties().put("family", "chebyshev");
        d.write(tmp);
        ModelDescription back = ModelDescription.read(tmp);
        assertEquals("chebyshev", back.requireText("family", tmp));
        assertEquals(42, back.seed());
        assertTrue(back.provenance().has("vtm_version"));
        Path file = tmp.resolve(ModelDescription.FILE_NAME);
        Files.writeString(file, d.toJson().replace("vtm.model/" + ModelDescription.FORMAT_VERSION,
                "vtm.model/" + (ModelDescription.FORMAT_VERSION + 1)));
        IOException ex = assertThrows(ModelFormatException.class, () -> ModelDescription.read(tmp));
        assertTrue(ex.getMessage().contains(file.toString()) && ex.getMessage().contains("newer"), ex.getMessage());
        Files.writeString(file, "{\"format\": ");
        ex = assertThrows(ModelFormatException.class, () -> ModelDescription.read(tmp));
        assertTrue(ex.getMessage().contains(file.toString()) && ex.getMessage().contains("corrupt"), ex.getMessage());
    }

    /**
     * Saving with updater state and continuing gives the same parameters as never stopping: Adam's
     * moments survive the round trip (without them the next step would differ).
     */
    @Test
    void sameDiffRoundTripKeepsUpdaterState() throws IOException {
        Nd4j.getRandom().setSeed(1);
        INDArray x = Nd4j.rand(DataType.DOUBLE, 8, 3);
        INDArray y = Nd4j.rand(DataType.DOUBLE, 8, 1);
        SameDiff a = tiny();
        MultiDataSet data = new org.nd4j.linalg.dataset.MultiDataSet(new INDArray[] {x}, new INDArray[] {y});
        for (int i = 0; i < 3; i++) {
            a.fit(data);
        }
        Path file = tmp.resolve("m.sd");
        SameDiffFiles.save(a, file, true);
        SameDiff b = SameDiffFiles.load(file, true);
        a.fit(data);
        b.fit(data);
        assertEquals(0, a.getVariable("w").getArr().sub(b.getVariable("w").getArr()).norm2Number().doubleValue(), 1e-12);
        Files.write(file, "garbage".getBytes(StandardCharsets.UTF_8));
        IOException ex = assertThrows(IOException.class, () -> SameDiffFiles.load(file, true));
        assertTrue(ex.getMessage().contains(file.toString()), ex.getMessage());
    }

    private static SameDiff tiny() {
        SameDiff sd = SameDiff.create();
        SDVariable in = sd.placeHolder("in", DataType.DOUBLE, -1, 3);
        SDVariable label = sd.placeHolder("label", DataType.DOUBLE, -1, 1);
        SDVariable w = sd.var("w", Nd4j.linspace(DataType.DOUBLE, 0.1, 0.3, 3).reshape(3, 1));
        SDVariable out = in.mmul(w);
        sd.loss().meanSquaredError("loss", label, out, null);
        sd.setTrainingConfig(TrainingConfig.builder().updater(new Adam(0.1)).dataSetFeatureMapping("in")
                .dataSetLabelMapping("label").build());
        return sd;
    }
}
