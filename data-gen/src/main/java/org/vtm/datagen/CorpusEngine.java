package org.vtm.datagen;

import java.io.IOException;
import java.util.ServiceLoader;

/**
 * An engine that writes a corpus ({@code vtm generate --engine NAME}). The built-in engine is
 * {@code local} ({@code LocalCorpusEngine}); others, such as {@code spark} from the spark-jobs
 * module, are found on the class path through {@link ServiceLoader}
 * ({@code META-INF/services/org.vtm.datagen.CorpusEngine}), so data-gen does not depend on them.
 * {@link CorpusEngines#byName} chooses one by name.
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
}
