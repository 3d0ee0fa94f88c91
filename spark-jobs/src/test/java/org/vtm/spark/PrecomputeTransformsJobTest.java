package org.vtm.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.vtm.datagen.TransformBank;
import org.vtm.spark.cli.JobMain;
import org.vtm.spark.cli.PrecomputeCommand;

/** The transform bank job against entries computed in this process. */
// each test waits on local Spark jobs; the session start in @BeforeAll has the build default (5 min)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class PrecomputeTransformsJobTest {
    private static SparkSession spark;

    @BeforeAll
    static void start() {
        spark = SparkSession.builder().appName("vtm-precompute-test").master("local[2]")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1")
                .getOrCreate();
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    @Test
    void theBankHoldsExactlyTheLocallyComputedEntries(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("tbank");
        StringWriter err = new StringWriter();
        int code = JobMain.execute(new PrecomputeCommand(), new PrintWriter(err, true),
                "--families", "legendre,chebyshev,fourier", "--dims", "1..2", "--orders", "1..4", "--out", out.toString());
        assertEquals(0, code, err.toString());
        TransformBank bank = TransformBank.read(out);
        assertEquals(3 * 2 * 4, bank.entries().size());
        for (TransformBank.Entry e : bank.entries()) {
            assertEquals(TransformBank.Entry.compute(e.family(), e.dim(), e.order()), e, "entry " + e);
        }
        assertEquals(bank.entries().stream().sorted(TransformBank.ORDER).toList(), bank.entries());
    }

    @Test
    void refusedSetsBecomeRowsInsteadOfFailingTheJob() {
        // Hermite's 1-norm condition passes the default limit 1e12 at n = 14 (5.7e12): refused from there on
        List<PrecomputeTransformsJob.GridPoint> grid = PrecomputeTransformsJob.grid(List.of("hermite"), 1, 2, 12, 15);
        List<TransformBank.Entry> entries = PrecomputeTransformsJob.compute(spark, grid);
        assertEquals(grid.size(), entries.size());
        for (TransformBank.Entry e : entries) {
            TransformBank.Entry local = TransformBank.Entry.compute(e.family(), e.dim(), e.order());
            assertEquals(local, e);
            assertEquals(e.order() < 14, e.ok(), e.toString());
            if (!e.ok()) {
                assertTrue(e.message().contains("singular") && e.condition() > 1e12, e.message());
            }
        }
    }

    @Test
    void invalidGridsAreRejectedOnTheDriverNamingTheOption(@TempDir Path tmp) {
        String[][] cases = {
            {"--families", "legendre", "--dims", "0..2", "--orders", "1..2", "--out", tmp.toString(), "--dims"},
            {"--families", "legendre", "--dims", "1..2", "--orders", "1..99", "--out", tmp.toString(), "--orders"},
            {"--families", "nosuch", "--dims", "1..2", "--orders", "1..2", "--out", tmp.toString(), "--families"},
            {"--families", "legendre", "--dims", "x", "--orders", "1..2", "--out", tmp.toString(), "--dims"},
        };
        for (String[] c : cases) {
            StringWriter err = new StringWriter();
            int code = JobMain.execute(new PrecomputeCommand(), new PrintWriter(err, true), java.util.Arrays.copyOf(c, 8));
            assertEquals(2, code, String.join(" ", c) + " -> " + err);
            assertTrue(err.toString().contains(c[8]), err.toString());
        }
    }

    @Test
    void gridsOverTheExpansionBudgetAreRefusedBeforeAnyTask(@TempDir Path tmp) {
        // d=9, n=9 used to reach BasisTransform in a task and die there with NegativeArraySizeException
        org.vtm.transforms.ExpansionBudget.Exceeded e = assertThrows(org.vtm.transforms.ExpansionBudget.Exceeded.class,
                () -> PrecomputeTransformsJob.grid(java.util.List.of("chebyshev"), 9, 9, 9, 9));
        assertTrue(e.getMessage().contains("d=9, n=9") && e.getMessage().contains("M=48620"), e.getMessage());
        StringWriter err = new StringWriter();
        int code = JobMain.execute(new PrecomputeCommand(), new PrintWriter(err, true), "--families", "legendre", "--dims",
                "8..8", "--orders", "10..10", "--out", tmp.resolve("bank").toString());
        assertEquals(2, code, err.toString());
        assertEquals(1, err.toString().lines().count(), err.toString());
        assertTrue(err.toString().contains("d=8, n=10") && err.toString().contains("expansion budget of 512.0 MiB")
                && err.toString().contains("vtm.expansion.budgetBytes"), err.toString());
        assertFalse(java.nio.file.Files.exists(tmp.resolve("bank")));
        // each point fits, but the bank as a whole does not
        org.vtm.transforms.ExpansionBudget.Exceeded bank = assertThrows(org.vtm.transforms.ExpansionBudget.Exceeded.class,
                () -> PrecomputeTransformsJob.grid(java.util.List.of("chebyshev", "legendre", "hermite", "monomial"), 6, 6, 6, 8));
        assertTrue(bank.getMessage().contains("the transform bank of 12 grid points"), bank.getMessage());
    }
}
