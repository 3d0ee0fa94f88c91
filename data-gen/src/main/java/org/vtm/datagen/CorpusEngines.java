package org.vtm.datagen;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * The registry of {@link CorpusEngine}s: the built-in {@code local} engine
 * ({@link LocalCorpusEngine}) and those found on the class path through {@link ServiceLoader}
 * ({@code META-INF/services/org.vtm.datagen.CorpusEngine}), such as {@code spark} from the
 * spark-jobs module. Kept out of the interface so that the interface knows none of its
 * implementations.
 */
public final class CorpusEngines {
    private CorpusEngines() {
    }

    /**
     * The engine named {@code name}: {@code local} or one found by {@link ServiceLoader}.
     *
     * @throws IllegalArgumentException naming {@code --engine} and listing the available engines
     */
    public static CorpusEngine byName(String name) {
        List<String> known = new ArrayList<>();
        known.add(LocalCorpusEngine.NAME);
        if (LocalCorpusEngine.NAME.equals(name)) {
            return new LocalCorpusEngine();
        }
        for (CorpusEngine e : ServiceLoader.load(CorpusEngine.class, CorpusEngine.class.getClassLoader())) {
            if (e.name().equals(name)) {
                return e;
            }
            known.add(e.name());
        }
        String hint = "spark".equals(name)
                ? " (the spark engine lives in the spark-jobs module, which is not on the class path; run through the vtm launcher)"
                : "";
        throw new IllegalArgumentException("unknown --engine '" + name + "'" + hint + "; available: " + String.join(", ", known));
    }
}
