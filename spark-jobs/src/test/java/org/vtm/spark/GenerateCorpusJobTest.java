package org.vtm.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.Success$;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.vtm.datagen.CorpusFilter;
import org.vtm.datagen.CorpusFormatException;
import org.vtm.datagen.CorpusGenerator;
import org.vtm.datagen.CorpusJob;
import org.vtm.datagen.CorpusReader;
import org.vtm.datagen.CorpusRecord;
import org.vtm.datagen.CorpusWriter;
import org.vtm.datagen.GeneratorConfig;
import org.vtm.datagen.Manifest;
import org.vtm.datagen.cli.GenerateCommand;
import org.vtm.spark.cli.JobMain;

/**
 * The Spark corpus job against the single-process writer: byte-identical shards and equal
 * records for any partitioning, retry after an injected task failure, atomic commit and resume,
 * and argument errors raised on the driver before any task. One session (local[2,4]: 2 threads,
 * up to 4 attempts per task) for the class.
 */
// each test waits on local Spark jobs; the session start in @BeforeAll has the build default (5 min)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class GenerateCorpusJobTest {
    static final GeneratorConfig CONFIG = GeneratorConfig.defaults(2, 2, "chebyshev", 1, 2);
    static final long SEED = 11;
    static final long RECORDS = 23;
    static final int SHARD = 5; // 5 shards, the last one short

    private static SparkSession spark;
    private static final AtomicInteger STARTED = new AtomicInteger();
    private static final AtomicInteger FAILED = new AtomicInteger();
    private static Path reference;

    @BeforeAll
    static void start(@TempDir Path tmp) throws IOException {
        spark = SparkSession.builder().appName("vtm-generate-test").master("local[2,4]")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                .getOrCreate();
        spark.sparkContext().addSparkListener(new SparkListener() {
            @Override
            public void onTaskStart(SparkListenerTaskStart start) {
                STARTED.incrementAndGet();
            }

            @Override
            public void onTaskEnd(SparkListenerTaskEnd end) {
                if (end.reason() != Success$.MODULE$) {
                    FAILED.incrementAndGet();
                }
            }
        });
        reference = tmp.resolve("reference");
        CorpusGenerator g = new CorpusGenerator(CONFIG, SEED);
        new CorpusWriter(g.layout(), SHARD, 4).write(reference, RECORDS, SEED, CONFIG.toJson(), g::record, null);
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    /** Test hook: the first attempt of {@code partition} throws (Spark retries it). */
    static GenerateCorpusJob.TaskHook failFirstAttemptOf(int partition) {
        return task -> {
            if (task != null && task.partitionId() == partition && task.attemptNumber() == 0) {
                throw new IllegalStateException("injected failure of the first attempt of partition " + partition);
            }
        };
    }

    /** Test hook: every attempt of {@code partition} throws (the job fails). */
    static GenerateCorpusJob.TaskHook failEveryAttemptOf(int partition) {
        return task -> {
            if (task != null && task.partitionId() == partition) {
                throw new IllegalStateException("injected failure of partition " + partition);
            }
        };
    }

    static CorpusJob job(Path out) {
        return new CorpusJob(out.toString(), CONFIG, SEED, RECORDS, SHARD, 4);
    }

    static void assertSameCorpus(Path expected, Path actual) throws IOException {
        Manifest a = Manifest.read(expected);
        Manifest b = Manifest.read(actual);
        assertEquals(a.shards(), b.shards(), "shard list with sizes and checksums");
        assertEquals(a.rejected(), b.rejected());
        assertEquals(a.configHash(), b.configHash());
        for (var s : a.shards()) {
            assertArrayEquals(Files.readAllBytes(expected.resolve(s.file())), Files.readAllBytes(actual.resolve(s.file())),
                    "bytes of " + s.file());
        }
        List<CorpusRecord> ra = CorpusReader.open(expected).records(CorpusFilter.ALL);
        List<CorpusRecord> rb = CorpusReader.open(actual).records(CorpusFilter.ALL);
        assertEquals(RECORDS, rb.size());
        for (int i = 0; i < ra.size(); i++) {
            assertEquals(i, rb.get(i).index(), "no duplicate or missing record");
            assertEquals(ra.get(i), rb.get(i), "record " + i);
        }
        try (var files = Files.list(actual)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().startsWith(".")), "no sidecar or partial file left");
        }
    }

    @Test
    void shardsAreByteIdenticalToTheSingleProcessWriterForAnyPartitioning(@TempDir Path tmp) throws IOException {
        for (int partitions : new int[] {0, 1, 2}) {
            Path out = tmp.resolve("p" + partitions);
            Manifest m = GenerateCorpusJob.run(spark, job(out), partitions);
            assertEquals(RECORDS, m.records());
            assertSameCorpus(reference, out);
        }
    }

    @Test
    void aFailedFirstAttemptIsRetriedAndTheOutputIsExact(@TempDir Path tmp) throws Exception {
        int failedBefore = FAILED.get();
        GenerateCorpusJob.run(spark, job(tmp.resolve("retry")), 3, failFirstAttemptOf(1));
        waitFor(() -> FAILED.get() > failedBefore);
        assertEquals(failedBefore + 1, FAILED.get(), "exactly one failed task attempt (then retried)");
        assertSameCorpus(reference, tmp.resolve("retry"));
    }

    @Test
    void aFailedJobLeavesNoManifestAndRerunningCompletesIt(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("atomic");
        // the job fails because of the injected failure, not for any other reason
        Exception failed = assertThrows(Exception.class, () -> GenerateCorpusJob.run(spark, job(out), 0, failEveryAttemptOf(2)));
        assertTrue(messages(failed).contains("injected failure of partition 2"), messages(failed));
        assertFalse(Files.exists(out.resolve(Manifest.FILE_NAME)));
        CorpusFormatException refused = assertThrows(CorpusFormatException.class, () -> CorpusReader.open(out));
        assertTrue(refused.getMessage().contains("incomplete"), refused.getMessage());
        // the other partitions finished their shards; they are kept (same bytes) on the re-run
        assertTrue(Files.exists(out.resolve(CorpusWriter.shardName(0))));
        GenerateCorpusJob.run(spark, job(out), 0);
        assertSameCorpus(reference, out);
        // a complete corpus is returned as is; a different configuration in the same directory is refused
        assertEquals(Manifest.read(out), GenerateCorpusJob.run(spark, job(out), 0));
        CorpusJob other = new CorpusJob(out.toString(), CONFIG, SEED + 1, RECORDS, SHARD, 4);
        assertThrows(IllegalArgumentException.class, () -> GenerateCorpusJob.run(spark, other, 0));
    }

    @Test
    void invalidArgumentsFailOnTheDriverBeforeAnyTaskNamingTheArgument(@TempDir Path tmp) {
        int before = STARTED.get();
        String base = "--engine spark --programs 10 --dim 2 --order 2 --family chebyshev --seed 1 --out " + tmp.resolve("x");
        assertUsage(base + " --shard-size 0", "--shard-size");
        assertUsage(base.replace("--dim 2", "--dim 0"), "--dim");
        assertUsage(base.replace("--family chebyshev", "--family nosuch"), "nosuch");
        assertUsage(base.replace("--engine spark", "--engine flink"), "--engine");
        assertUsage(base.replace("--engine spark", "--engine local") + " --master local[2]", "--master");
        assertUsage(base + " --program-family cnn", "--program-family");
        assertUsage(base + " --program-family rational --pole-ratio 0.5..1", "--pole-ratio");
        assertThrows(IllegalArgumentException.class, () -> GenerateCorpusJob.run(spark, job(tmp.resolve("y")), -1));
        assertEquals(before, STARTED.get(), "no task ran");
        assertFalse(Files.exists(tmp.resolve("x")));
    }

    @Test
    void theCommandRunsTheSparkEngineThroughTheServiceLoader(@TempDir Path tmp) throws IOException {
        Path out = tmp.resolve("cli");
        StringWriter err = new StringWriter();
        int code = JobMain.execute(new GenerateCommand(), new PrintWriter(err, true), ("--engine spark --programs " + RECORDS
                + " --dim 2 --order 2 --family chebyshev --steps 1..2 --seed " + SEED + " --shard-size " + SHARD + " --out " + out)
                .split(" "));
        assertEquals(0, code, err.toString());
        // same records as the reference (its batch size differs, so compare records, not bytes)
        assertEquals(CorpusReader.open(reference).records(CorpusFilter.ALL), CorpusReader.open(out).records(CorpusFilter.ALL));
    }

    @Test
    void theProgramFamilyReachesTheTasksAndTheShardsEqualTheSingleProcessWriter(@TempDir Path tmp) throws IOException {
        GeneratorConfig rational = CONFIG.withProgramFamily(org.vtm.datagen.ProgramFamily.RATIONAL).withPoleRatio(0.4, 0.6);
        Path local = tmp.resolve("local");
        CorpusGenerator g = new CorpusGenerator(rational, SEED);
        new CorpusWriter(g.layout(), SHARD, 4).write(local, RECORDS, SEED, rational.toJson(), g::record, null);
        Path out = tmp.resolve("spark");
        Manifest m = GenerateCorpusJob.run(spark, new CorpusJob(out.toString(), rational, SEED, RECORDS, SHARD, 4), 2);
        assertEquals("rational", m.generator().path("program_family").asText());
        assertEquals(0.4, m.generator().path("pole_ratio_min").asDouble());
        assertSameCorpus(local, out);
        for (CorpusRecord r : CorpusReader.open(out).records(CorpusFilter.ALL)) {
            assertEquals("rational", r.programFamily());
            assertTrue(r.poleRatio() >= 0.4 && r.poleRatio() <= 0.6, r.toString());
        }
        // and through the command line of spark-submit (SparkGenerateMain takes vtm generate's options)
        Path cli = tmp.resolve("cli");
        StringWriter err = new StringWriter();
        int code = JobMain.execute(new GenerateCommand(), new PrintWriter(err, true), ("--engine spark --programs " + RECORDS
                + " --dim 2 --order 2 --family chebyshev --steps 1..2 --seed " + SEED + " --shard-size " + SHARD
                + " --program-family rational --pole-ratio 0.4..0.6 --out " + cli).split(" "));
        assertEquals(0, code, err.toString());
        assertEquals(CorpusReader.open(local).records(CorpusFilter.ALL), CorpusReader.open(cli).records(CorpusFilter.ALL));
    }

    private static void assertUsage(String args, String named) {
        StringWriter err = new StringWriter();
        int code = JobMain.execute(new GenerateCommand(), new PrintWriter(err, true), args.split(" "));
        assertEquals(2, code, args + " -> " + err);
        assertTrue(err.toString().contains(named), "message names " + named + ": " + err);
    }

    static void waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L; // the listener bus is asynchronous
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        Thread.sleep(200); // let any further (unexpected) events arrive before counting
    }

    /** The messages of {@code t} and its causes, one per line. */
    private static String messages(Throwable t) {
        StringBuilder b = new StringBuilder();
        for (Throwable c = t; c != null && b.length() < 100_000; c = c.getCause()) {
            b.append(c).append('\n');
        }
        return b.toString();
    }
}
