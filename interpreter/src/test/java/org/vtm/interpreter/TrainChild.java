package org.vtm.interpreter;

import java.nio.file.Path;

/**
 * A training run in its own JVM, for the kill -9 test: {@code corpus out epochs delayMillis [dtype]}.
 * Uses {@link TrainerResumeTest#config} so the parent trains the identical configuration.
 */
public final class TrainChild {
    private TrainChild() {
    }

    public static void main(String[] args) throws Exception {
        TrainerConfig c = TrainerResumeTest.config(Path.of(args[0]), Path.of(args[1]), Integer.parseInt(args[2]))
                .withCheckpointMinutes(0.0005).withMaxSeconds(0).withBatchDelayMillis(Long.parseLong(args[3]));
        if (args.length > 4) {
            c = c.withDtype(TrainerConfig.Precision.byLabel(args[4]));
        }
        new Trainer(c, System.out).run();
        System.exit(0);
    }
}
