package org.vtm.transforms.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.vtm.transforms.BasisBudget;
import org.vtm.transforms.ApproximationErrors;
import org.vtm.transforms.ArtifactJson;
import org.vtm.transforms.BasisTransform;
import org.vtm.transforms.ErrorMetrics;
import org.vtm.transforms.Expander;
import org.vtm.transforms.ExpansionBudget;
import org.vtm.transforms.FunctionSeries;
import org.vtm.transforms.FunctionSet;
import org.vtm.transforms.Oracle;
import org.vtm.transforms.Program;
import org.vtm.transforms.TensorSeries;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vtm transform}: a program's expansion re-expressed in a function set, with its errors. */
@Command(name = "transform", mixinStandardHelpOptions = true,
        description = {"Expand a program at v0 to order n and re-express it in a function set F over the box "
                + "v0 + r·[-1,1]^d: P_out(v0 + r·u) ≈ Σ_β coef[out][β]·Φ_β(u), coef = T_FX · a' with "
                + "a'[α] = c[α]·r^|α|.",
                "Errors (relative L2 and max absolute, all outputs pooled) against plain execution on the "
                + "oracle's Halton points in the box: taylor = the Taylor polynomial, fixed = the T_FX series "
                + "above (equal to taylor up to rounding for polynomial families), oracle = the least-squares "
                + "fit in F (the best any T can do with that basis).",
                "JSON: {\"format\":\"vtm.transform/1\",\"family\",\"dim_in\",\"dim_out\",\"order\",\"point\","
                + "\"radius\",\"terms\":[{\"out\",\"beta\",\"coef\"}],\"errors\":{\"taylor\",\"fixed\",\"oracle\"}} "
                + "with each error {\"rel_l2\",\"max_abs\"}; non-finite numbers are null."},
        footer = {"", "Example:",
            "  vtm transform --program '(x, y) -> (exp(x) * cos(y))' --at 0,0 --radius 0.5 --order 4"})
public final class TransformCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Option(names = "--program", required = true, paramLabel = "TEXT",
            description = "The program in the VTM language (see docs/program-language.md).")
    String programText;

    @Option(names = "--at", required = true, paramLabel = "V0",
            description = "The expansion point v0: one comma-separated decimal per program input.")
    String at;

    @Option(names = "--radius", defaultValue = "1", paramLabel = "R",
            description = "Half-width r > 0 of the box v0 + r·[-1,1]^d (input units). Default: ${DEFAULT-VALUE}.")
    double radius;

    @Option(names = "--order", defaultValue = "4", paramLabel = "N",
            description = "Truncation order n >= 0. Default: ${DEFAULT-VALUE}.")
    int order;

    @Option(names = "--family", defaultValue = "chebyshev", paramLabel = "NAME",
            description = "The 1-D family: monomial, chebyshev, legendre, hermite or fourier. Default: ${DEFAULT-VALUE}.")
    String family;

    @Option(names = "--format", defaultValue = "table", paramLabel = "FORMAT",
            description = "Output: table (for people) or json (the vtm.transform/1 contract). Default: ${DEFAULT-VALUE}.")
    CliSupport.Format format;

    @Override
    public void run() {
        Program program = CliSupport.program(programText);
        double[] point = CliSupport.coordinates("--at", at, program.inputDim(), CliSupport.inputNames(program));
        CliSupport.radius(radius);
        CliSupport.order(order);
        var f = CliSupport.family(family);
        BasisBudget.checkBasis(f, program.inputDim(), order, true);
        FunctionSet set = FunctionSet.of(f, program.inputDim(), order);
        BasisTransform t = BasisTransform.of(set);
        TensorSeries expansion = Expander.expand(program, point, order);
        FunctionSeries series = t.apply(expansion, radius);
        ApproximationErrors errors = Oracle.of(set).compare(program, point, radius, t);
        PrintWriter out = spec.commandLine().getOut();
        if (format == CliSupport.Format.json) {
            out.println(ArtifactJson.transform(series, errors));
        } else {
            table(out, program, t, series, errors);
        }
        out.flush();
    }

    /** {@code "T_2(u0)*T_1(u1)"}-style label of a tensor-product function. */
    static String function(String family, int[] beta) {
        String sym = switch (family) {
            case "chebyshev" -> "T";
            case "legendre" -> "P";
            case "hermite" -> "He";
            case "monomial" -> "u^";
            default -> "φ";
        };
        StringBuilder b = new StringBuilder();
        for (int l = 0; l < beta.length; l++) {
            if (beta[l] == 0) {
                continue;
            }
            if (b.length() > 0) {
                b.append('*');
            }
            if (family.equals("fourier")) {
                // φ_{2j-1} = sin(j u), φ_{2j} = cos(j u)
                int j = (beta[l] + 1) / 2;
                b.append(beta[l] % 2 == 1 ? "sin(" : "cos(").append(j == 1 ? "" : j).append('u').append(l).append(')');
                continue;
            }
            b.append(sym.equals("u^") ? "u" + l + (beta[l] > 1 ? "^" + beta[l] : "")
                    : sym + "_" + beta[l] + "(u" + l + ")");
        }
        return b.length() == 0 ? "1" : b.toString();
    }

    private static void table(PrintWriter out, Program program, BasisTransform t, FunctionSeries s,
            ApproximationErrors e) {
        FunctionSet set = s.functionSet();
        out.println("program: " + program.text());
        out.println("box:     v0 = " + CliSupport.tuple(s.point()) + ", r = " + CliSupport.num(s.radius())
                + ", u = (x - v0) / r in [-1,1]^" + s.inputDim());
        out.println("basis:   " + set + ", " + ArtifactJson.kind(t) + ", " + t.conditionNorm()
                + "-norm condition " + CliSupport.sci(t.condition()));
        out.println("P_out(v0 + r·u) ≈ Σ coef · function(u)");
        out.println();
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"out", "beta", "function", "coef"});
        for (int o = 0; o < s.outputDim(); o++) {
            for (int i = 0; i < set.size(); i++) {
                int[] b = set.beta(i);
                rows.add(new String[] {Integer.toString(o), CliSupport.indices(b), function(set.family().name(), b),
                    CliSupport.num(s.coefficient(o, i))});
            }
        }
        CliSupport.table(out, rows, true, false, false, true);
        out.println();
        out.println("errors against plain execution on the oracle's Halton points in the box:");
        List<String[]> err = new ArrayList<>();
        err.add(new String[] {"approximation", "rel_l2", "max_abs"});
        err.add(new String[] {"taylor", CliSupport.sci(e.taylor().relL2()), CliSupport.sci(e.taylor().maxAbs())});
        err.add(new String[] {"fixed T_FX", CliSupport.sci(e.fixed().relL2()), CliSupport.sci(e.fixed().maxAbs())});
        err.add(new String[] {"oracle (LSQ)", CliSupport.sci(e.oracle().relL2()), CliSupport.sci(e.oracle().maxAbs())});
        CliSupport.table(out, err, false, true, true);
    }
}
