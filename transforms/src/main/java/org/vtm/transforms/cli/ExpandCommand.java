package org.vtm.transforms.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import org.vtm.transforms.Expander;
import org.vtm.transforms.ArtifactJson;
import org.vtm.transforms.MultiIndexSet;
import org.vtm.transforms.Program;
import org.vtm.transforms.TensorSeries;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vtm expand}: the Taylor coefficients of a program at a point. */
@Command(name = "expand", mixinStandardHelpOptions = true,
        description = {"Expand a program into its tensor series e^{h∂}_n P at a point: every Taylor coefficient "
                + "c[out][α] = ∂^α P_out(v0) / α! with |α| <= n, so that P_out(v0 + h) ≈ Σ_α c[out][α]·h^α.",
                "Terms are listed output-major, multi-indices in canonical order (total degree, then "
                + "lexicographically descending: 1, x0, x1, x0^2, x0*x1, x1^2, ...).",
                "JSON (--format json) is {\"format\":\"vtm.expansion/1\",\"dim_in\",\"dim_out\",\"order\","
                + "\"point\",\"terms\":[{\"out\",\"alpha\",\"coef\"}]}; numbers round-trip exactly, a non-finite "
                + "coefficient is written as null."},
        footer = {"", "Example:", "  vtm expand --program '(x, y) -> (x * y, sin(y))' --at 0.3,0.1 --order 3"})
public final class ExpandCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Option(names = "--program", required = true, paramLabel = "TEXT",
            description = "The program in the VTM language, e.g. '(x, y) -> (x * y, sin(y))' "
                    + "(see docs/program-language.md).")
    String programText;

    @Option(names = "--at", required = true, paramLabel = "V0",
            description = "The expansion point v0: one comma-separated decimal per program input, e.g. 0.3,0.1.")
    String at;

    @Option(names = "--order", defaultValue = "4", paramLabel = "N",
            description = "Truncation order n >= 0 (highest total degree of the terms). Default: ${DEFAULT-VALUE}.")
    int order;

    @Option(names = "--format", defaultValue = "table", paramLabel = "FORMAT",
            description = "Output: table (aligned, for people) or json (the vtm.expansion/1 contract). "
                    + "Default: ${DEFAULT-VALUE}.")
    CliSupport.Format format;

    @Override
    public void run() {
        Program program = CliSupport.program(programText);
        double[] point = CliSupport.coordinates("--at", at, program.inputDim(), CliSupport.inputNames(program));
        CliSupport.order(order);
        TensorSeries series = Expander.expand(program, point, order);
        PrintWriter out = spec.commandLine().getOut();
        if (format == CliSupport.Format.json) {
            out.println(ArtifactJson.expansion(series));
        } else {
            table(out, program, series);
        }
        out.flush();
    }

    private static void table(PrintWriter out, Program program, TensorSeries s) {
        out.println("program: " + program.text());
        out.println("point:   (" + CliSupport.inputNames(program) + ") = " + CliSupport.tuple(s.point())
                + ", order " + s.order() + ", " + s.inputDim() + " input(s) -> " + s.outputDim() + " output(s)");
        out.println("P_out(v0 + h) ≈ Σ coef · monomial, with h = (x0, x1, ...) and coef = ∂^α P_out(v0) / α!");
        out.println();
        MultiIndexSet set = s.multiIndices();
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"out", "alpha", "monomial", "coef"});
        for (int o = 0; o < s.outputDim(); o++) {
            for (int i = 0; i < set.size(); i++) {
                int[] a = set.alpha(i);
                rows.add(new String[] {Integer.toString(o), CliSupport.indices(a), CliSupport.monomial(a),
                    CliSupport.num(s.coefficient(o, i))});
            }
        }
        CliSupport.table(out, rows, true, false, false, true);
    }
}
