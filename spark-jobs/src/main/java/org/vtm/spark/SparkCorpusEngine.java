package org.vtm.spark;

import java.io.IOException;
import org.vtm.datagen.CorpusEngine;
import org.vtm.datagen.CorpusJob;
import org.vtm.datagen.CorpusWriter;
import org.vtm.datagen.Manifest;

/**
 * {@code vtm generate --engine spark}: runs {@link GenerateCorpusJob} on {@code --master}
 * (default {@code local[*]}, or spark-submit's master). Registered in
 * {@code META-INF/services/org.vtm.datagen.CorpusEngine}.
 */
public final class SparkCorpusEngine implements CorpusEngine {
    public static final String NAME = "spark";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Manifest generate(CorpusJob job, String master, int threads, CorpusWriter.Progress progress) throws IOException {
        try (SparkSessions.Handle h = SparkSessions.open(master, "vtm generate")) {
            Manifest m = GenerateCorpusJob.run(h.session(), job, 0);
            if (progress != null) {
                progress.update(m.records(), m.records(), m.rejected());
            }
            return m;
        }
    }
}
