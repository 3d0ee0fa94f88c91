package org.vtm.datagen;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * An engine that writes a corpus ({@code vtm generate --engine NAME}). The built-in engine is
 * {@code local} ({@link LocalCorpusEngine}); others, such as {@code spark} from the spark-jobs
 * module, are found on the class path through {@link ServiceLoader}
 * ({@code META-INF/services/org.vtm.datagen.CorpusEngine}), so data-gen does not depend on them.
 *
 * <p>Every engine must write the same directory: shard {@code k} holds records
 * {@code [k·shardSize, (k+1)·shardSize)} written by {@link CorpusWriter#writeShard}, and the
 * manifest is committed last by {@link CorpusWriter#commit}.
 */
public interface CorpusEngine {

    /** The name {@code --engine} selects, e.g. {@code local} or {@code spark}. */
    String name();

    /**
     * Writes the corpus (or completes an interrupted one).
     *
     * @param master where to run, engine-specific (a Spark master URL); null for the engine's
     *     default. Engines without such a notion reject a non-null value.
     * @param progress called as shards finish; may be null
     */
    Manifest generate(CorpusJob job, String master, int threads, CorpusWriter.Progress progress) throws IOException;

    /** The engine named {@code name}: {@code local} or one found by {@link ServiceLoader}. */
    static CorpusEngine byName(String name) {
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
