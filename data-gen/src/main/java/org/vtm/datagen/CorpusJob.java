package org.vtm.datagen;

import java.io.Serializable;
import java.util.Objects;

/**
 * One corpus to write, independent of the engine that writes it: where, what configuration and
 * seed, how many records and how they are cut into shards. Serializable (the output directory is
 * kept as a string) so distributed engines can ship it to their workers.
 *
 * @param out the output directory
 * @param config the generator configuration
 * @param seed the generator seed
 * @param records the number of records
 * @param shardSize records per shard
 * @param batchRecords records per Arrow record batch
 */
public record CorpusJob(String out, GeneratorConfig config, long seed, long records, int shardSize, int batchRecords)
        implements Serializable {
    private static final long serialVersionUID = 1L;

    public CorpusJob {
        Objects.requireNonNull(out, "out");
        Objects.requireNonNull(config, "config");
        if (out.isBlank()) {
            throw new IllegalArgumentException("--out must name a directory, got an empty string");
        }
        if (records < 1) {
            throw new IllegalArgumentException("--programs must be at least 1, got " + records);
        }
        if (shardSize < 1) {
            throw new IllegalArgumentException("--shard-size must be at least 1, got " + shardSize);
        }
        if (batchRecords < 1) {
            throw new IllegalArgumentException("records per batch must be at least 1, got " + batchRecords);
        }
    }

    /**
     * Refuses, before anything is built or written, a job whose generation would exceed the
     * expansion budget: {@link GeneratorConfig#checkBudget(int, int)} with this job's record batch.
     *
     * @param threads threads computing records in one process
     */
    public void checkBudget(int threads) {
        config.checkBudget(threads, batchRecords);
    }

    /** A writer for this job's shards (the layout comes from the generator). */
    public CorpusWriter writer(CorpusGenerator generator, int threads) {
        return new CorpusWriter(generator.layout(), shardSize, batchRecords, threads);
    }

    /** The number of shards. */
    public int shards() {
        return (int) ((records + shardSize - 1) / shardSize);
    }
}
