package org.vtm.transforms.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.vtm.transforms.BasisBudget;
import org.vtm.transforms.ArtifactJson;
import org.vtm.transforms.BasisTransform;
import org.vtm.transforms.ExpansionBudget;
import org.vtm.transforms.FunctionFamily;
import org.vtm.transforms.FunctionSet;
import org.vtm.transforms.MultiIndexSet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vtm basis}: the transformation matrix {@code T_FX} of a function set. */
@Command(name = "basis", mixinStandardHelpOptions = true,
        description = {"Print the transformation matrix T_FX that re-expresses Taylor coefficients (monomials "
                + "u^α in the scaled variable u = h / r, |α| <= n) in a function set F of tensor products "
                + "Φ_β(u) = Π_l φ_{β_l}(u_l), |β| <= n: P_F = T_FX · a'.",
                "Row β, column α of T_FX is the F-coefficient of Φ_β contributed by the monomial u^α; "
                + "T_FX = T_XF^{-1}, where column β of T_XF holds the Taylor coefficients of Φ_β.",
                "condition is the 1-norm condition number ||T_XF||_1·||T_FX||_1 (how much T_FX can amplify "
                + "relative errors in the coefficients). A singular or numerically singular set (condition "
                + "above --max-condition) is refused.",
                "JSON: {\"format\":\"vtm.basis/1\",\"family\",\"dim\",\"order\",\"alphas\",\"matrix\",\"condition\","
                + "\"kind\",\"condition_norm\"}; rows of matrix follow F's multi-indices and columns X's, both "
                + "listed once in alphas (the same canonical list)."},
        footer = {"", "Example:", "  vtm basis --family chebyshev --dim 2 --order 4"})
public final class BasisCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Option(names = "--family", defaultValue = "chebyshev", paramLabel = "NAME",
            description = "The 1-D family: " + "monomial, chebyshev (T_k), legendre (P_k), hermite (He_k) or "
                    + "fourier (1, sin u, cos u, sin 2u, ...). Default: ${DEFAULT-VALUE}.")
    String family;

    @Option(names = "--dim", defaultValue = "2", paramLabel = "D",
            description = "Number of variables d >= 1. Default: ${DEFAULT-VALUE}.")
    int dim;

    @Option(names = "--order", defaultValue = "4", paramLabel = "N",
            description = "Truncation order n >= 0; the set has M = C(d+n, n) functions. Default: ${DEFAULT-VALUE}.")
    int order;

    @Option(names = "--max-condition", defaultValue = "1e12", paramLabel = "KAPPA",
            description = "Refuse sets whose condition number exceeds this (>= 1). Default: ${DEFAULT-VALUE}.")
    double maxCondition;

    @Option(names = "--format", defaultValue = "table", paramLabel = "FORMAT",
            description = "Output: table (for people) or json (the vtm.basis/1 contract). Default: ${DEFAULT-VALUE}.")
    CliSupport.Format format;

    @Override
    public void run() {
        FunctionFamily f = CliSupport.family(family);
        if (dim < 1) {
            throw new UsageException("--dim must be >= 1, got " + dim);
        }
        CliSupport.order(order);
        if (!(maxCondition >= 1.0)) {
            throw new UsageException("--max-condition must be >= 1, got " + maxCondition);
        }
        BasisBudget.checkBasis(f, dim, order, false);
        BasisTransform t = BasisTransform.of(FunctionSet.of(f, dim, order), BasisTransform.Solver.AUTO, maxCondition);
        PrintWriter out = spec.commandLine().getOut();
        if (format == CliSupport.Format.json) {
            out.println(ArtifactJson.basis(t));
        } else {
            table(out, t);
        }
        out.flush();
    }

    private static void table(PrintWriter out, BasisTransform t) {
        MultiIndexSet xs = t.set().monomials();
        int m = t.monomialCount();
        out.println("T_FX for " + t.set() + ": row β = function Φ_β, column α = monomial u^α");
        out.println("kind " + ArtifactJson.kind(t) + ", " + t.conditionNorm() + "-norm condition " + CliSupport.sci(t.condition()));
        out.println();
        List<String[]> rows = new ArrayList<>();
        String[] header = new String[m + 1];
        header[0] = "β \\ α";
        for (int c = 0; c < m; c++) {
            header[c + 1] = CliSupport.monomial(xs.alpha(c), 'u');
        }
        rows.add(header);
        boolean[] right = new boolean[m + 1];
        java.util.Arrays.fill(right, true);
        right[0] = false;
        for (int r = 0; r < t.functionCount(); r++) {
            String[] row = new String[m + 1];
            row[0] = CliSupport.indices(t.set().beta(r));
            for (int c = 0; c < m; c++) {
                double v = t.tfx(r, c);
                row[c + 1] = v == 0.0 ? "0" : CliSupport.num(v);
            }
            rows.add(row);
        }
        CliSupport.table(out, rows, right);
    }
}
