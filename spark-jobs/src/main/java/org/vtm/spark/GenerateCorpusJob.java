package org.vtm.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.vtm.datagen.CorpusGenerator;
import org.vtm.datagen.CorpusJob;
import org.vtm.datagen.CorpusWriter;
import org.vtm.datagen.CorpusWriter.WrittenShard;
import org.vtm.datagen.Manifest;

/**
 * The data-gen corpus computed by Spark. The shard indices {@code 0 … s-1} are partitioned over
 * tasks; a task writes its shards with {@link CorpusWriter#writeShard} (shard {@code k} holds
 * records {@code [k·shardSize, (k+1)·shardSize)}, exactly as {@code vtm generate} does, so the
 * shards are byte-identical to the single-process output for any partitioning), atomically, into
 * the output directory on a file system shared by driver and executors. The driver collects the
 * shard descriptions and commits {@code manifest.json} last: a failed or killed job leaves no
 * manifest (readers refuse the directory as incomplete) and re-running it keeps finished shards.
 *
 * <p>The job takes a parsed {@link CorpusJob}; {@link SparkCorpusEngine} runs it for
 * {@code vtm generate --engine spark}, and its spark-submit entry point is
 * {@code org.vtm.spark.cli.SparkGenerateMain} (the options of {@code vtm generate}; the master
 * comes from spark-submit).
 */
public final class GenerateCorpusJob {
    /**
     * Runs at the start of every task with its {@link TaskContext} (null outside Spark); the job
     * itself passes a hook that does nothing. Tests use it to inject task failures, so no test
     * switch lives in the production path. Serializable: Spark ships it to the executors.
     */
    @FunctionalInterface
    interface TaskHook extends java.io.Serializable {
        void beforeTask(TaskContext task);
    }

    private static final TaskHook NO_HOOK = task -> {
    };

    private GenerateCorpusJob() {
    }

    /**
     * Writes (or completes) the corpus with {@code spark}.
     *
     * @param partitions Spark partitions over the shards; 0 for one per shard
     */
    public static Manifest run(SparkSession spark, CorpusJob requested, int partitions) throws IOException {
        return run(spark, requested, partitions, NO_HOOK);
    }

    /** {@link #run(SparkSession, CorpusJob, int)} with {@code hook} called at the start of every task. */
    static Manifest run(SparkSession spark, CorpusJob requested, int partitions, TaskHook hook) throws IOException {
        if (partitions < 0) {
            throw new IllegalArgumentException("partitions must be >= 0 (0: one per shard), got " + partitions);
        }
        // executors run in other working directories: make the output path absolute on the driver
        Path out = Path.of(requested.out()).toAbsolutePath().normalize();
        CorpusJob job = new CorpusJob(out.toString(), requested.config(), requested.seed(), requested.records(),
                requested.shardSize(), requested.batchRecords());
        job.checkBudget(1); // each task computes on one thread
        CorpusGenerator generator = new CorpusGenerator(job.config(), job.seed()); // validates on the driver
        CorpusWriter writer = job.writer(generator, 1);
        Manifest done = writer.existing(out, job.records(), job.seed(), job.config().toJson());
        if (done != null) {
            return done;
        }
        int shards = writer.shardCount(job.records());
        List<Integer> indices = new ArrayList<>(shards);
        for (int k = 0; k < shards; k++) {
            indices.add(k);
        }
        int slices = partitions == 0 ? shards : Math.min(partitions, shards);
        String configHash = CorpusWriter.configHash(job.seed(), job.config().toJson());
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        jsc.setJobDescription("vtm generate " + job.records() + " records in " + shards + " shards to " + out);
        List<WrittenShard> written = jsc.parallelize(indices, slices)
                .mapPartitions((Iterator<Integer> ks) -> writeShards(job, configHash, hook, ks))
                .collect();
        return writer.commit(out, job.records(), job.seed(), job.config().toJson(), written);
    }

    /** A task: writes the shards of one partition. */
    private static Iterator<WrittenShard> writeShards(CorpusJob job, String configHash, TaskHook hook, Iterator<Integer> ks) {
        hook.beforeTask(TaskContext.get());
        CorpusGenerator generator = new CorpusGenerator(job.config(), job.seed());
        CorpusWriter writer = job.writer(generator, 1);
        Path out = Path.of(job.out());
        List<WrittenShard> result = new ArrayList<>();
        while (ks.hasNext()) {
            try {
                result.add(writer.writeShard(out, ks.next(), job.records(), configHash, generator::record));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return result.iterator();
    }
}
