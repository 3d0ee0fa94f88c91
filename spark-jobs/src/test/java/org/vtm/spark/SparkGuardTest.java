package org.vtm.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Upgrade guard for Spark: an in-process local session runs a Dataset job (a map, a group-by and
 * an aggregate across partitions), writes the result as Parquet and reads it back. The expected
 * numbers come from closed forms, so a broken shuffle, encoder or Parquet path fails the test.
 */
// each test waits on local Spark jobs; the session start in @BeforeAll has the build default (5 min)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class SparkGuardTest {

    private static SparkSession spark;

    @BeforeAll
    static void startSession() {
        spark = SparkSession.builder()
                .appName("vtm-spark-guard")
                .master("local[2]")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "4")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .getOrCreate();
    }

    @AfterAll
    static void stopSession() {
        if (spark != null) {
            spark.stop();
        }
    }

    @Test
    void datasetJobWritesAndReadsParquet(@TempDir Path dir) throws Exception {
        int n = 10_000;
        List<Long> numbers = new ArrayList<>();
        for (long i = 1; i <= n; i++) {
            numbers.add(i);
        }
        Dataset<Long> ds = spark.createDataset(numbers, Encoders.LONG()).repartition(5);
        Dataset<Row> squares = ds.toDF("i")
                .withColumn("residue", functions.col("i").mod(3))
                .withColumn("square", functions.col("i").multiply(functions.col("i")))
                .groupBy("residue")
                .agg(functions.count("i").as("count"), functions.sum("square").as("sum_sq"))
                .orderBy("residue");

        String out = dir.resolve("squares.parquet").toString();
        squares.write().parquet(out);
        try (Stream<Path> files = Files.list(dir.resolve("squares.parquet"))) {
            assertTrue(files.anyMatch(p -> p.getFileName().toString().endsWith(".parquet")),
                    "no Parquet part files written under " + out);
        }

        List<Row> back = spark.read().parquet(out).orderBy("residue").collectAsList();
        assertEquals(3, back.size());
        long[] expectedCount = new long[3];
        long[] expectedSum = new long[3];
        for (long i = 1; i <= n; i++) {
            expectedCount[(int) (i % 3)]++;
            expectedSum[(int) (i % 3)] += i * i;
        }
        long total = 0;
        for (Row row : back) {
            int residue = (int) row.getLong(row.fieldIndex("residue"));
            assertEquals(expectedCount[residue], row.getLong(row.fieldIndex("count")), "count, residue " + residue);
            assertEquals(expectedSum[residue], row.getLong(row.fieldIndex("sum_sq")), "sum of squares, residue " + residue);
            total += row.getLong(row.fieldIndex("sum_sq"));
        }
        // closed form: sum_{i<=n} i^2 = n(n+1)(2n+1)/6
        assertEquals((long) n * (n + 1) * (2L * n + 1) / 6, total);
    }
}
