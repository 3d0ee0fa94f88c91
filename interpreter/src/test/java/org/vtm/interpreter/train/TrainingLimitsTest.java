package org.vtm.interpreter.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.vtm.interpreter.TrainerConfig;
import org.vtm.interpreter.stm.CharTrainer;

/** The bounds of training options: one message naming the option, the value and the range. */
class TrainingLimitsTest {

    @Test
    void outOfRangeValuesNameOptionValueAndRange() {
        assertEquals("--hidden 5000 is outside the allowed range 1..4096", assertThrows(IllegalArgumentException.class,
                () -> TrainingLimits.checkInt("--hidden", 5000, 1, TrainingLimits.MAX_HIDDEN)).getMessage());
        assertEquals("--clip NaN is outside the allowed range [0, 1000000]", assertThrows(IllegalArgumentException.class,
                () -> TrainingLimits.checkDouble("--clip", Double.NaN, 0, false, TrainingLimits.MAX_CLIP)).getMessage());
        assertEquals("--clip -1 is outside the allowed range [0, 1000000]", assertThrows(IllegalArgumentException.class,
                () -> TrainingLimits.checkDouble("--clip", -1, 0, false, TrainingLimits.MAX_CLIP)).getMessage());
        assertEquals("--lr 0 is outside the allowed range (0, 10]", assertThrows(IllegalArgumentException.class,
                () -> TrainingLimits.checkDouble("--lr", 0, 0, true, TrainingLimits.MAX_LEARNING_RATE)).getMessage());
        assertEquals("--minutes Infinity is outside the allowed range (0, 43200]", assertThrows(IllegalArgumentException.class,
                () -> TrainingLimits.checkDouble("--minutes", Double.POSITIVE_INFINITY, 0, true, TrainingLimits.MAX_MINUTES))
                .getMessage());
        assertEquals(0.5, TrainingLimits.checkDouble("--lr", 0.5, 0, true, TrainingLimits.MAX_LEARNING_RATE));
        assertEquals(4096, TrainingLimits.checkInt("--hidden", 4096, 1, TrainingLimits.MAX_HIDDEN));
    }

    /** {@code vtm train}'s configuration refuses absurd sizes and budgets, and NaN or negative clipping. */
    @Test
    void trainerConfigBoundsEveryOption() {
        TrainerConfig base = TrainerConfig.defaults(Path.of("corpus"), "chebyshev", 2, 1, Path.of("out"));
        TrainerConfig.Tuning t = TrainerConfig.Tuning.DEFAULT;
        assertRefused("--hidden 5000 ", "1..4096", () -> base.withHidden(5000));
        assertRefused("--batch-size 70000 ", "1..65536", () -> base.withBatchSize(70_000));
        assertRefused("--epochs 2000000 ", "1..1000000", () -> base.withEpochs(2_000_000));
        assertRefused("--lr 100 ", "(0, 10]", () -> base.withLearningRate(100));
        assertRefused("--clip -1 ", "[0, 1000000]", () -> base.withTuning(
                new TrainerConfig.Tuning(t.inputs(), t.loss(), t.headScale(), -1, 0)));
        assertRefused("--clip NaN ", "[0, 1000000]", () -> base.withTuning(
                new TrainerConfig.Tuning(t.inputs(), t.loss(), t.headScale(), Double.NaN, 0)));
        assertRefused("--checkpoint-minutes -1 ", "[0, 43200]", () -> base.withCheckpointMinutes(-1));
        assertRefused("--max-minutes NaN ", "[0, 43200]", () -> base.withMaxSeconds(Double.NaN));
        assertRefused("--max-minutes 100000 ", "[0, 43200]", () -> base.withMaxSeconds(6_000_000));
        assertRefused("--max-steps 5000 ", "1..1024", () -> base.withMaxSteps(5000));
        // the documented "off" is still 0
        assertEquals(0, base.withTuning(new TrainerConfig.Tuning(t.inputs(), t.loss(), t.headScale(), 0, 0))
                .tuning().clipNorm());
    }

    /** {@code vtm stm train}'s options, by the names of its command line. */
    @Test
    void charTrainerOptionsAreBounded() {
        assertRefused("--batch 100000 ", "1..65536", () -> new CharTrainer.Options(100_000, 10, 0.002, 5, 1, 1, 1, 100, 0,
                0.7, 1));
        assertRefused("--segment 5000 ", "1..1024", () -> new CharTrainer.Options(16, 5000, 0.002, 5, 1, 1, 1, 100, 0,
                0.7, 1));
        assertRefused("--lr NaN ", "(0, 10]", () -> new CharTrainer.Options(16, 10, Double.NaN, 5, 1, 1, 1, 100, 0, 0.7,
                1));
        assertRefused("--minutes 1000000 ", "(0, 43200]", () -> new CharTrainer.Options(16, 10, 0.002, 5, 1e6, 1, 1, 100,
                0, 0.7, 1));
        assertRefused("--epochs 0 ", "1..1000000", () -> new CharTrainer.Options(16, 10, 0.002, 5, 1, 0, 1, 100, 0, 0.7,
                1));
    }

    static void assertRefused(String start, String range, Runnable r) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        assertTrue(e.getMessage().startsWith(start) && e.getMessage().endsWith(range), e.getMessage());
    }

    /** The help texts quote the limits as text (annotation values must be constants): they must agree. */
    @Test
    void helpTextsStateTheLimitsThatAreChecked() {
        assertEquals(TrainingLimits.MAX_LEARNING_RATE, Double.parseDouble(TrainingLimits.MAX_LEARNING_RATE_TEXT));
        assertEquals(TrainingLimits.MAX_CLIP, Double.parseDouble(TrainingLimits.MAX_CLIP_TEXT));
        assertEquals(TrainingLimits.MAX_MINUTES, Double.parseDouble(TrainingLimits.MAX_MINUTES_TEXT));
    }
}
