package org.vtm.interpreter.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.vtm.interpreter.LearnedInterpreter;
import org.vtm.interpreter.ModelConfig;
import org.vtm.interpreter.TfxSource;
import org.vtm.transforms.ApproximationErrors;
import org.vtm.transforms.BasisTransform;
import org.vtm.transforms.ErrorMetrics;
import org.vtm.transforms.FunctionSeries;
import org.vtm.transforms.MultiIndexSet;
import org.vtm.transforms.Oracle;
import org.vtm.transforms.Program;
import org.vtm.transforms.cli.UsageException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vtm predict}: a trained interpreter's coefficients for one program and region, with errors. */
@Command(name = "predict",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {"Print a learned interpreter's coefficients of a program over v0 + r·[-1,1]^d, and the relative L2 and "
                + "max-abs errors of the fixed T_FX, learned and oracle (least-squares) series against plain execution "
                + "on the oracle's Halton points."},
        footer = {"", "Example:", "  vtm predict --model model/ --program '(x, y) -> (sin(x) * y, x + y)' --at 0.2,-0.1 --radius 0.3"})
public final class PredictCommand implements Callable<Integer> {

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Model directory (vtm train).")
    Path model;

    @Option(names = "--program", required = true, paramLabel = "TEXT", description = "The program (docs/program-language.md).")
    String program;

    @Option(names = "--at", required = true, paramLabel = "V0", description = "Expansion point: d comma-separated numbers.")
    String at;

    @Option(names = "--radius", required = true, paramLabel = "R", description = "Region radius r > 0.")
    double radius;

    @Override
    public Integer call() throws Exception {
        LearnedInterpreter li = LearnedInterpreter.load(model, TfxSource.computed());
        ModelConfig c = li.config();
        Program p = Program.parse(program);
        double[] point = coordinates(at, c.dim());
        if (!(radius > 0) || Double.isInfinite(radius)) {
            throw new UsageException("--radius must be positive and finite, got " + radius);
        }
        FunctionSeries learned = li.transform(p, point, radius);
        BasisTransform bt = BasisTransform.of(li.functionSet());
        Oracle oracle = Oracle.of(li.functionSet());
        ApproximationErrors fixedAndOracle = oracle.compare(p, point, radius, bt);
        double[] u = oracle.points();
        int d = c.dim();
        int n = oracle.pointCount();
        double[] truth = new double[n * p.outputDim()];
        double[] approx = new double[truth.length];
        double[] x = new double[d];
        double[] up = new double[d];
        for (int s = 0; s < n; s++) {
            for (int l = 0; l < d; l++) {
                up[l] = u[s * d + l];
                x[l] = point[l] + radius * up[l];
            }
            System.arraycopy(p.execute(x), 0, truth, s * p.outputDim(), p.outputDim());
            System.arraycopy(learned.evaluate(up), 0, approx, s * p.outputDim(), p.outputDim());
        }
        ErrorMetrics learnedErr = ErrorMetrics.of(approx, truth);
        PrintStream out = System.out;
        out.printf(Locale.ROOT, "model: %s d=%d n=%d head=%s init=%s%n", c.family(), c.dim(), c.order(),
                c.head().name().toLowerCase(Locale.ROOT), c.init().name().toLowerCase(Locale.ROOT));
        out.println("learned coefficients (output, function multi-index β, coefficient):");
        MultiIndexSet betas = MultiIndexSet.of(d, c.order());
        for (int o = 0; o < learned.outputDim(); o++) {
            for (int b = 0; b < betas.size(); b++) {
                out.printf(Locale.ROOT, "  %d  %-12s % .10g%n", o, java.util.Arrays.toString(betas.alpha(b)),
                        learned.coefficient(o, b));
            }
        }
        out.printf(Locale.ROOT, "errors on %d points (rel_l2, max_abs):%n", n);
        out.printf(Locale.ROOT, "  fixed    %.6g  %.6g%n", fixedAndOracle.fixed().relL2(), fixedAndOracle.fixed().maxAbs());
        out.printf(Locale.ROOT, "  learned  %.6g  %.6g%n", learnedErr.relL2(), learnedErr.maxAbs());
        out.printf(Locale.ROOT, "  oracle   %.6g  %.6g%n", fixedAndOracle.oracle().relL2(), fixedAndOracle.oracle().maxAbs());
        return 0;
    }

    static double[] coordinates(String text, int dim) {
        String[] parts = text.split(",");
        if (parts.length != dim) {
            throw new UsageException("--at '" + text + "' has " + parts.length + " coordinates, the model has d = " + dim);
        }
        double[] v = new double[dim];
        for (int i = 0; i < dim; i++) {
            try {
                v[i] = Double.parseDouble(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new UsageException("--at: '" + parts[i].trim() + "' is not a number");
            }
            if (!Double.isFinite(v[i])) {
                throw new UsageException("--at: coordinate " + i + " is " + v[i] + ", expected a finite number");
            }
        }
        return v;
    }
}
