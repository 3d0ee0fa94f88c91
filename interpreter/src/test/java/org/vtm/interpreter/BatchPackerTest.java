package org.vtm.interpreter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.vtm.datagen.CorpusGenerator;
import org.vtm.interpreter.train.EpochShuffle;

/**
 * {@link BatchPacker} packs exactly what {@link ModelInputs} packs: the same keys, shapes and values bit for bit
 * ({@code Arrays.equals} on doubles compares raw bits), for every input mode and loss, for batches of programs of
 * mixed lengths drawn in shuffled order, a short last batch, and batches that reuse the arrays of an earlier batch
 * with longer programs (padding must be cleared). Training on either gives the same parameters bit for bit.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BatchPackerTest {
    static final int ORDER = 3;
    static final int PAD = 6;

    static List<StepDataset.Sample> samples(int count, long seed) {
        CorpusGenerator g = TestCorpora.generator(ORDER, 4, seed);
        int s = g.layout().samples();
        List<StepDataset.Sample> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(StepDataset.Sample.of(g.record(i), s, ORDER));
        }
        return out;
    }

    static ModelConfig config(ModelConfig.Inputs inputs, ModelConfig.Loss loss) {
        return new ModelConfig("chebyshev", 2, ORDER, PAD, 8, ModelConfig.Head.TRANSFORM, ModelConfig.Init.RANDOM, inputs,
                loss, 1e-3);
    }

    @Test
    void packedBatchesEqualModelInputsBitForBit() {
        List<StepDataset.Sample> pool = samples(23, 3);
        int sampleCount = pool.get(0).values().length / (pool.get(0).steps() * 2);
        int lengths = 0;
        for (StepDataset.Sample s : pool) {
            lengths |= 1 << s.steps();
        }
        assertTrue(Integer.bitCount(lengths) >= 3, "the pool should mix program lengths");
        int compared = 0;
        for (ModelConfig.InputSpec inputs : ModelConfig.InputSpec.all()) { // every base mode and flag combination
            for (ModelConfig.Loss loss : ModelConfig.Loss.values()) {
                ModelConfig c = new ModelConfig("chebyshev", 2, ORDER, PAD, 8, ModelConfig.Head.TRANSFORM,
                        ModelConfig.Init.RANDOM, inputs, loss, 1e-3, 5);
                BatchPacker packer = new BatchPacker(c, pool, PAD, sampleCount);
                for (int epoch = 0; epoch < 3; epoch++) {
                    int[] order = EpochShuffle.permutation(11, epoch, pool.size());
                    for (int batch = 5; batch <= 7; batch++) {
                        for (int from = 0; from < pool.size(); from += batch) {
                            int to = Math.min(pool.size(), from + batch);
                            List<StepDataset.Sample> part = new ArrayList<>();
                            for (int i = from; i < to; i++) {
                                part.add(pool.get(order[i]));
                            }
                            String what = inputs + "/" + loss + " epoch " + epoch + " batch [" + from + ", " + to + ")";
                            assertSame(ModelInputs.training(c, part, PAD, sampleCount), packer.training(order, from, to),
                                    what);
                            assertSame(ModelInputs.inputs(c, part, PAD), packer.inputs(order, from, to), what);
                            compared++;
                        }
                    }
                }
            }
        }
        assertTrue(compared > 100, "compared " + compared);
    }

    /** Five Adam steps on the layer engine from packed batches and from ModelInputs: the same parameters, bit for bit. */
    @Test
    void trainingOnPackedBatchesGivesBitIdenticalParameters() {
        List<StepDataset.Sample> pool = samples(20, 5);
        int sampleCount = pool.get(0).values().length / (pool.get(0).steps() * 2);
        ModelConfig c = config(ModelConfig.Inputs.NEXT_ORDER, ModelConfig.Loss.LOG_REL);
        double[] tfx = TfxSource.computed().tfx("chebyshev", 2, ORDER);
        double[][] points = TestCorpora.generator(ORDER, 4, 5).layout().samplePoints();
        TrainingEngine old = TrainingEngine.provider(TrainerConfig.Engine.LAYERS).create(c, tfx, points, 9, 1e-2,
                TrainerConfig.Precision.FLOAT64);
        TrainingEngine packed = TrainingEngine.provider(TrainerConfig.Engine.LAYERS).create(c, tfx, points, 9, 1e-2,
                TrainerConfig.Precision.FLOAT64);
        BatchPacker packer = new BatchPacker(c, pool, PAD, sampleCount);
        Map<String, INDArray> start = copy(old.state());
        for (int step = 0; step < 5; step++) {
            int[] order = EpochShuffle.permutation(4, step, pool.size());
            int to = 8 + step;
            List<StepDataset.Sample> part = new ArrayList<>();
            for (int i = 0; i < to; i++) {
                part.add(pool.get(order[i]));
            }
            double a = old.fit(ModelInputs.training(c, part, PAD, sampleCount), 1, 1);
            double b = packed.fit(packer.training(order, 0, to), 1, 1);
            assertEquals(a, b, 0.0, "loss of step " + step);
        }
        Map<String, INDArray> x = old.state();
        Map<String, INDArray> y = packed.state();
        for (String k : x.keySet()) {
            assertArrayEquals(x.get(k).dup().data().asDouble(), y.get(k).dup().data().asDouble(), 0.0, k);
        }
        assertTrue(x.get("lstm_W").sub(start.get("lstm_W")).norm2Number().doubleValue() > 0, "training did not move");
    }

    private static Map<String, INDArray> copy(Map<String, INDArray> m) {
        Map<String, INDArray> out = new java.util.HashMap<>();
        m.forEach((k, v) -> out.put(k, v.dup()));
        return out;
    }

    private static void assertSame(Map<String, INDArray> expected, Map<String, INDArray> actual, String what) {
        assertEquals(expected.keySet(), actual.keySet(), what);
        for (String k : expected.keySet()) {
            INDArray e = expected.get(k);
            INDArray a = actual.get(k);
            assertArrayEquals(e.shape(), a.shape(), what + ": shape of " + k);
            assertEquals(e.dataType(), a.dataType(), what + ": type of " + k);
            double[] ev = e.dup().data().asDouble();
            double[] av = a.dup().data().asDouble();
            assertTrue(java.util.Arrays.equals(ev, av), what + ": values of " + k + " differ");
        }
    }
}
