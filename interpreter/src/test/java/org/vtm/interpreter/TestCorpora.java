package org.vtm.interpreter;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
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

    /**
     * One-step programs whose outputs are products of two leaves (parameters or constants, e.g.
     * {@code (x, y) -> (x * y, 0.5 * x)}): polynomials of degree at most 2. With {@code order} 1
     * their whole truncation error is in the degree-(n+1) terms, which the next-order inputs give the
     * model exactly.
     */
    static Path writeProducts(Path dir, int records, int order, long seed) throws IOException {
        GeneratorConfig d = config(order, 1);
        GeneratorConfig c = new GeneratorConfig(2, order, "chebyshev", 1, 1, 1, Map.of("*", 1.0), d.constantMin(),
                d.constantMax(), d.pointMin(), d.pointMax(), d.radiusMin(), d.radiusMax(), d.maxAbs());
        CorpusGenerator g = new CorpusGenerator(c, seed);
        new CorpusWriter(g.layout(), 64, 32, 2).write(dir, records, seed, g.config().toJson(), g::record, null);
        return dir;
    }

    static Path write(Path dir, int records, int order, int maxSteps, long seed) throws IOException {
        CorpusGenerator g = generator(order, maxSteps, seed);
        new CorpusWriter(g.layout(), 64, 32, 2).write(dir, records, seed, g.config().toJson(), g::record, null);
        return dir;
    }
}
