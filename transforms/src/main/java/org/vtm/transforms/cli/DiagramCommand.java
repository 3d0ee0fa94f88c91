package org.vtm.transforms.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.vtm.transforms.BasisBudget;
import org.vtm.transforms.ArtifactJson;
import org.vtm.transforms.DiagramExecutor;
import org.vtm.transforms.ExpansionBudget;
import org.vtm.transforms.FunctionFamily;
import org.vtm.transforms.Program;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vtm diagram}: run a program along a path of the transformation diagram and report errors. */
@Command(name = "diagram", mixinStandardHelpOptions = true,
        description = {"Run a program P = p_k ∘ … ∘ p_0 along a path of the transformation diagram: each step "
                + "runs as E (plain execution), X (its tensor series at its reference point) or T (T_FX · its "
                + "tensor series, evaluated in the function set F). Step t is expanded at v_t, where plain "
                + "execution takes v0; every step uses the same radius r.",
                "Reports, for the requested path and for the uniform paths E…E, X…X and T…T: the output at "
                + "--x, the max absolute error there against plain execution, and the relative L2 and max "
                + "absolute errors over the Halton points of the box v0 + r·[-1,1]^d.",
                "JSON: {\"format\":\"vtm.diagram/1\",\"family\",\"order\",\"point\",\"radius\",\"x\",\"steps\","
                + "\"reference\",\"paths\":[{\"path\",\"requested\",\"output\",\"point_max_abs\",\"region\":"
                + "{\"rel_l2\",\"max_abs\"},\"refused\"}]}; refused is null unless the function set of a T step "
                + "was refused (then the numbers are null); non-finite numbers are null."},
        footer = {"", "Example:",
            "  vtm diagram --program '(x, y) -> (x * y, x + sin(y)) |> (u, v) -> (exp(u) / (1 + v^2))' "
                + "--path E,T --at 0.3,0.1 --radius 0.2 --order 4"})
public final class DiagramCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Option(names = "--program", required = true, paramLabel = "TEXT",
            description = "The program in the VTM language; its steps are separated by '|>'.")
    String programText;

    @Option(names = "--path", required = true, paramLabel = "MODES",
            description = "One letter per step, comma-separated: E (execute), X (tensor series), T (T_FX in F), "
                    + "e.g. E,X,T for a three-step program.")
    String path;

    @Option(names = "--at", required = true, paramLabel = "V0",
            description = "The expansion point v0 of the first step: one comma-separated decimal per input.")
    String at;

    @Option(names = "--x", paramLabel = "X",
            description = "The input at which to compare outputs (default: v0).")
    String x;

    @Option(names = "--radius", defaultValue = "1", paramLabel = "R",
            description = "Radius r > 0 of every step's box (input units). Default: ${DEFAULT-VALUE}.")
    double radius;

    @Option(names = "--order", defaultValue = "4", paramLabel = "N",
            description = "Truncation order n >= 0 of every expansion. Default: ${DEFAULT-VALUE}.")
    int order;

    @Option(names = "--family", defaultValue = "chebyshev", paramLabel = "NAME",
            description = "The 1-D family for T steps: monomial, chebyshev, legendre, hermite or fourier. "
                    + "Default: ${DEFAULT-VALUE}.")
    String family;

    @Option(names = "--format", defaultValue = "table", paramLabel = "FORMAT",
            description = "Output: table (for people) or json (vtm.diagram/1). Default: ${DEFAULT-VALUE}.")
    CliSupport.Format format;

    /** One row of the report: a path's result, or why its T step could not run. */

    @Override
    public void run() {
        Program program = CliSupport.program(programText);
        int k = program.steps().size();
        try {
            DiagramExecutor.parsePath(path, k);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--path: " + e.getMessage(), e);
        }
        String names = CliSupport.inputNames(program);
        double[] v0 = CliSupport.coordinates("--at", at, program.inputDim(), names);
        double[] input = x == null ? v0 : CliSupport.coordinates("--x", x, program.inputDim(), names);
        CliSupport.radius(radius);
        CliSupport.order(order);
        FunctionFamily f = CliSupport.family(family);
        for (int t = 0; t < k; t++) {
            BasisBudget.checkBasis(f, program.steps().get(t).inputDim(), order, false);
        }
        DiagramExecutor ex = DiagramExecutor.of(program, f, order, v0, radius);
        Set<String> paths = new LinkedHashSet<>();
        String requested = String.join(",", DiagramExecutor.parsePath(path, k).stream().map(Enum::name).toList());
        paths.add(requested);
        for (String letter : List.of("E", "X", "T")) {
            paths.add(String.join(",", java.util.Collections.nCopies(k, letter)));
        }
        List<ArtifactJson.DiagramPath> rows = new ArrayList<>();
        for (String p : paths) {
            boolean isRequested = p.equals(requested);
            try {
                rows.add(new ArtifactJson.DiagramPath(p, isRequested, ex.report(p, input), null));
            } catch (IllegalArgumentException e) {
                if (isRequested) {
                    throw e; // the requested path cannot run (a refused function set): a usage error
                }
                rows.add(new ArtifactJson.DiagramPath(p, false, null, e.getMessage()));
            }
        }
        double[] reference = rows.get(0).report().reference();
        PrintWriter out = spec.commandLine().getOut();
        if (format == CliSupport.Format.json) {
            out.println(ArtifactJson.diagram(f, order, v0, radius, input, k, reference, rows));
        } else {
            table(out, program, f, v0, input, reference, rows);
        }
        out.flush();
    }

    private void table(PrintWriter out, Program program, FunctionFamily f, double[] v0, double[] input,
            double[] reference, List<ArtifactJson.DiagramPath> rows) {
        out.println("program: " + program.text());
        out.println("steps " + rows.get(0).path().split(",").length + ", family " + f.name() + ", order " + order
                + ", v0 = " + CliSupport.tuple(v0) + ", r = " + CliSupport.num(radius));
        out.println("x = " + CliSupport.tuple(input) + ", plain execution P(x) = " + CliSupport.tuple(reference));
        out.println();
        List<String[]> t = new ArrayList<>();
        t.add(new String[] {"path", "output at x", "max_abs at x", "box rel_l2", "box max_abs"});
        for (ArtifactJson.DiagramPath r : rows) {
            String label = r.path() + (r.requested() ? " *" : "");
            if (r.report() == null) {
                t.add(new String[] {label, "refused", "-", "-", "-"});
            } else {
                t.add(new String[] {label, CliSupport.tuple(r.report().output()), CliSupport.sci(r.report().pointMaxAbs()),
                    CliSupport.sci(r.report().region().relL2()), CliSupport.sci(r.report().region().maxAbs())});
            }
        }
        CliSupport.table(out, t, false, false, true, true, true);
        out.println();
        out.println("* the requested path; box = the Halton points of v0 + r·[-1,1]^d");
        for (ArtifactJson.DiagramPath r : rows) {
            if (r.refused() != null) {
                out.println(r.path() + " refused: " + r.refused());
            }
        }
    }
}
