package org.vtm.interpreter;

import java.io.IOException;
import java.nio.file.Path;
import org.vtm.datagen.CorpusGenerator;
import org.vtm.datagen.CorpusWriter;
import org.vtm.datagen.GeneratorConfig;

/** Tiny corpora generated in tests (d = 2, chebyshev). */
final class TestCorpora {
    private TestCorpora() {
    }

    static GeneratorConfig config(int order, int maxSteps) {
        return GeneratorConfig.defaults(2, order, "chebyshev", 1, maxSteps);
    }

    static CorpusGenerator generator(int order, int maxSteps, long seed) {
        return new CorpusGenerator(config(order, maxSteps), seed);
    }

    static Path write(Path dir, int records, int order, int maxSteps, long seed) throws IOException {
        CorpusGenerator g = generator(order, maxSteps, seed);
        new CorpusWriter(g.layout(), 64, 32, 2).write(dir, records, seed, g.config().toJson(), g::record, null);
        return dir;
    }
}
