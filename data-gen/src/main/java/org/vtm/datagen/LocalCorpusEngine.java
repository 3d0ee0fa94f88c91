package org.vtm.datagen;

import java.io.IOException;
import java.nio.file.Path;

/** The single-process engine: {@link CorpusWriter#write} on this machine's threads. */
public final class LocalCorpusEngine implements CorpusEngine {
    public static final String NAME = "local";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Manifest generate(CorpusJob job, String master, int threads, CorpusWriter.Progress progress) throws IOException {
        if (master != null) {
            throw new IllegalArgumentException("--master is only valid with --engine spark, got --master " + master
                    + " with --engine local");
        }
        job.checkBudget(threads);
        CorpusGenerator generator = new CorpusGenerator(job.config(), job.seed());
        return job.writer(generator, threads).write(Path.of(job.out()), job.records(), job.seed(), job.config().toJson(),
                generator::record, progress);
    }
}
