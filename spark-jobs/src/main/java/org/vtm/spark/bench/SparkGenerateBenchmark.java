package org.vtm.spark.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.vtm.datagen.CorpusJob;
import org.vtm.datagen.GeneratorConfig;
import org.vtm.datagen.ShardWriter;
import org.vtm.spark.GenerateCorpusJob;

/**
 * Throughput of {@link GenerateCorpusJob} on {@code local[1]} and {@code local[2]}: the same
 * corpus, timed from job submission to committed manifest (session start excluded; a small warm-up
 * job runs first in each session so both measure JIT-compiled code).
 */
public final class SparkGenerateBenchmark {

    /** The measured figures. */
    public record Result(long records, double local1RecordsPerSecond, double local2RecordsPerSecond) {
        public double speedup() {
            return local2RecordsPerSecond / local1RecordsPerSecond;
        }

        public String line() {
            return String.format(Locale.ROOT, "RESULT spark-generate local1_records_per_s=%.2f local2_records_per_s=%.2f speedup=%.2f",
                    local1RecordsPerSecond, local2RecordsPerSecond, speedup());
        }
    }

    private SparkGenerateBenchmark() {
    }

    public static Result run(GeneratorConfig config, long records, int shardSize, long seed, Path workDir) throws IOException {
        double one = throughput("local[1]", config, records, shardSize, seed, workDir.resolve("local1"));
        double two = throughput("local[2]", config, records, shardSize, seed, workDir.resolve("local2"));
        return new Result(records, one, two);
    }

    private static double throughput(String master, GeneratorConfig config, long records, int shardSize, long seed, Path dir)
            throws IOException {
        SparkSession spark = SparkSession.builder().appName("vtm bench spark-generate " + master).master(master)
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                .getOrCreate();
        try {
            int warm = Math.max(2, shardSize / 4);
            GenerateCorpusJob.run(spark, new CorpusJob(dir.resolve("warm-up").toString(), config, seed + 1, 4L * warm, warm,
                    ShardWriter.DEFAULT_BATCH_RECORDS), 0);
            long start = System.nanoTime();
            GenerateCorpusJob.run(spark, new CorpusJob(dir.resolve("corpus").toString(), config, seed, records, shardSize,
                    ShardWriter.DEFAULT_BATCH_RECORDS), 0);
            return records / ((System.nanoTime() - start) / 1e9);
        } finally {
            spark.stop();
            delete(dir);
        }
    }

    private static void delete(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
