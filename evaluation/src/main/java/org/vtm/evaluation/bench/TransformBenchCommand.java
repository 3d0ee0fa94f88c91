package org.vtm.evaluation.bench;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vtm.transforms.BasisTransform;
import org.vtm.transforms.FunctionFamily;
import org.vtm.transforms.FunctionSet;
import org.vtm.transforms.MatrixMultiply;
import org.vtm.transforms.cli.UsageException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vtm bench transform}: applying {@code T_FX} to a batch of expansions is one matrix
 * product; this measures its FLOP rate against OpenBLAS dgemm (through ND4J, on preallocated
 * arrays, no copies) on the same shapes, in the same run.
 */
@Command(name = "transform",
        mixinStandardHelpOptions = true,
        description = {"Throughput of T_FX applied to a batch of expansions (default 10^5 expansions, d=4, n=4, M=70) "
                + "through BasisTransform.applyBatch, versus OpenBLAS dgemm via ND4J on the same shapes.",
            "Last line: RESULT transform expansions_per_s=<x> gemm_flops_fraction=<f>"})
public final class TransformBenchCommand implements Callable<Integer> {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--expansions", defaultValue = "100000", description = "Rows of the batch (default: ${DEFAULT-VALUE}).")
    int rows;

    @Option(names = "--dim", defaultValue = "4", description = "d (default: ${DEFAULT-VALUE}).")
    int dim;

    @Option(names = "--order", defaultValue = "4", description = "n (default: ${DEFAULT-VALUE}).")
    int order;

    @Option(names = "--family", defaultValue = "chebyshev", description = "Function family (default: ${DEFAULT-VALUE}).")
    String family;

    @Option(names = "--rounds", defaultValue = "7", description = "Timed rounds per variant; the best is reported (default: ${DEFAULT-VALUE}).")
    int rounds;

    @Override
    public Integer call() {
        if (rows < 1 || rounds < 1) {
            throw new UsageException("--expansions and --rounds must be at least 1");
        }
        BasisTransform t = BasisTransform.of(FunctionSet.of(FunctionFamily.byName(family), dim, order));
        int m = t.monomialCount();
        int k = t.functionCount();
        double flops = 2.0 * rows * m * k;
        SplittableRandom random = new SplittableRandom(1);
        double[] x = random.doubles((long) rows * m, -1, 1).toArray();
        double[] out = new double[rows * k];

        double applyBatch = best(() -> t.applyBatch(x, rows, out));

        double[] tfx = t.tfx(); // K × M row-major; the batch product is x · T_FXᵀ
        double[] tfxT = new double[m * k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < m; j++) {
                tfxT[j * k + i] = tfx[i * m + j];
            }
        }
        double[] javaOut = new double[rows * k];
        double java = best(() -> MatrixMultiply.JAVA.multiply(x, rows, m, tfxT, k, javaOut));

        INDArray a = Nd4j.create(DataType.DOUBLE, rows, m);
        a.data().asNioDouble().put(x);
        INDArray b = Nd4j.create(DataType.DOUBLE, m, k);
        b.data().asNioDouble().put(tfxT);
        INDArray c = Nd4j.create(DataType.DOUBLE, rows, k);
        double dgemm = best(() -> Nd4j.gemm(a, b, c, false, false, 1.0, 0.0));

        double maxDiff = 0;
        for (int i = 0; i < out.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(out[i] - javaOut[i]));
        }
        PrintWriter w = spec.commandLine().getOut();
        w.printf(Locale.ROOT, "shape: %d x %d times %d x %d (%.0f MFLOP per product), %s%n", rows, m, m, k, flops / 1e6, t.set());
        w.printf(Locale.ROOT, "applyBatch via %-14s %8.3f ms  %6.2f GFLOP/s%n", MatrixMultiply.best().name(), applyBatch * 1e3, flops / applyBatch / 1e9);
        w.printf(Locale.ROOT, "java-blocked kernel          %8.3f ms  %6.2f GFLOP/s  (fraction of dgemm %.3f)%n", java * 1e3, flops / java / 1e9, dgemm / java);
        w.printf(Locale.ROOT, "dgemm (ND4J, no copies)      %8.3f ms  %6.2f GFLOP/s%n", dgemm * 1e3, flops / dgemm / 1e9);
        w.printf(Locale.ROOT, "max |applyBatch - java| = %.3g%n", maxDiff);
        w.printf(Locale.ROOT, "RESULT transform expansions_per_s=%.0f gemm_flops_fraction=%.3f%n", rows / applyBatch, dgemm / applyBatch);
        w.flush();
        return 0;
    }

    private double best(Runnable r) {
        r.run(); // warm-up
        r.run();
        double best = Double.POSITIVE_INFINITY;
        for (int i = 0; i < rounds; i++) {
            long t0 = System.nanoTime();
            r.run();
            best = Math.min(best, (System.nanoTime() - t0) / 1e9);
        }
        return best;
    }
}
