package org.vtm.datagen.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.vtm.datagen.CorpusEngine;
import org.vtm.datagen.CorpusEngines;
import org.vtm.datagen.CorpusJob;
import org.vtm.datagen.GeneratorConfig;
import org.vtm.datagen.LocalCorpusEngine;
import org.vtm.datagen.Manifest;
import org.vtm.artifacts.OutputDirectory;
import org.vtm.datagen.ProgramFamily;
import org.vtm.datagen.ProgramGenerator;
import org.vtm.datagen.ShardWriter;
import org.vtm.transforms.FunctionFamily;
import org.vtm.transforms.cli.ProgressBar;
import org.vtm.transforms.cli.UsageException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code vtm generate}: a corpus of programs of one family with expansions and targets, as Arrow shards. */
@Command(name = "generate",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Generate a corpus of random programs p_k∘…∘p_0 over R^d with, for every step prefix, the scaled "
                    + "expansion, fixed-T_FX and oracle coefficients, exact sample values and errors.",
            "Writes Arrow IPC shards plus manifest.json (format: docs/corpus-format.md). Record i depends only "
                    + "on (seed, i): the same command writes byte-identical shards; an interrupted run is "
                    + "completed by running the same command again."},
        footer = {"", "Examples:", "  vtm generate --programs 10000 --dim 2 --order 4 --family chebyshev --steps 1..4 --seed 7 --out corpus/",
            "  vtm generate --programs 2000 --dim 2 --order 4 --family chebyshev --program-family rational --pole-ratio 0.1..0.9 "
                    + "--seed 8 --out rational/"})
public final class GenerateCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--programs", required = true, paramLabel = "N", description = "Number of programs (records).")
    long programs;

    @Option(names = "--dim", required = true, paramLabel = "D", description = "Dimension d of the memory V = R^d (every step maps R^d -> R^d).")
    int dim;

    @Option(names = "--order", required = true, paramLabel = "N", description = "Expansion order n.")
    int order;

    @Option(names = "--family", required = true, paramLabel = "NAME",
            description = "Function family of F: monomial, chebyshev, legendre, hermite or fourier.")
    String family;

    @Option(names = "--steps", defaultValue = "1..4", paramLabel = "A..B", description = "Steps per program (default: ${DEFAULT-VALUE}).")
    String steps;

    @Option(names = "--seed", required = true, paramLabel = "SEED", description = "Generator seed.")
    long seed;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory (created and marked as VTM's; a non-empty directory VTM did not write is refused, nothing of yours is deleted).")
    Path out;

    @Option(names = "--program-family", defaultValue = "random", paramLabel = "NAME",
            description = {"Family of the programs (default: ${DEFAULT-VALUE}):",
                "random: random expressions over the operator mix (--ops, --depth, --constants);",
                "mlp: every step a layer act(W x + b), act tanh, sigmoid or softplus per step, weights in ±1.5/√d;",
                "exp-affine: every output exp, log, sin, cos or tan of an affine form;",
                "rational: step 0 has a pole hyperplane at max-norm distance ρ from v0 with r/ρ in --pole-ratio, later "
                        + "steps are entire (affine + a·sin(affine)); records carry ρ and r/ρ;",
                "branching: step 0 is if(w·x < β, e1, e2) whose boundary crosses the region, later steps entire.",
                "--ops, --depth and --constants apply to random only."})
    String programFamily;

    @Option(names = "--pole-ratio", paramLabel = "A..B",
            description = "Range of r/ρ (region radius over the pole's distance from v0) of --program-family rational, "
                    + "0 < A <= B < 1 (default: 0.1..0.9).")
    String poleRatio;

    @Option(names = "--depth", defaultValue = "3", paramLabel = "K", description = "Largest expression depth per output (default: ${DEFAULT-VALUE}).")
    int depth;

    @Option(names = "--ops", paramLabel = "OP:W,…",
            description = "Operator mix as weights, e.g. '+:3,*:3,sin:1,exp:0.5'. Operators: + - * / ^ sin cos tan exp log "
                    + "sqrt tanh sigmoid sinh cosh atan softplus if. Default: arithmetic-heavy with every function.")
    String ops;

    @Option(names = "--constants", defaultValue = "-2..2", paramLabel = "A..B", description = "Range of constants (default: ${DEFAULT-VALUE}).")
    String constants;

    @Option(names = "--points", defaultValue = "-1..1", paramLabel = "A..B",
            description = "Range of each coordinate of the expansion point v0 (default: ${DEFAULT-VALUE}).")
    String points;

    @Option(names = "--radius", defaultValue = "0.1..0.5", paramLabel = "A..B",
            description = "Range of the region radius r; the region is v0 + r·[-1,1]^d (default: ${DEFAULT-VALUE}).")
    String radius;

    @Option(names = "--max-abs", defaultValue = "1e6", paramLabel = "X",
            description = "Reject programs whose values or Taylor coefficients exceed X over the region (default: ${DEFAULT-VALUE}).")
    double maxAbs;

    @Option(names = "--shard-size", defaultValue = "4096", paramLabel = "N", description = "Records per shard (default: ${DEFAULT-VALUE}).")
    int shardSize;

    @Option(names = "--threads", defaultValue = "1", paramLabel = "T",
            description = "Threads computing records; the output is identical for any count (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--engine", defaultValue = "local", paramLabel = "NAME",
            description = "Engine writing the corpus: local (this process) or spark (Spark jobs; needs the spark-jobs "
                    + "module on the class path). Both write byte-identical shards (default: ${DEFAULT-VALUE}).")
    String engine;

    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master for --engine spark, e.g. local[*] (default), local[2] or spark://127.0.0.1:7077.")
    String master;

    @Override
    public Integer call() throws Exception {
        OutputDirectory.checkUsable("--out", out);
        GeneratorConfig config = config();
        if (master != null && LocalCorpusEngine.NAME.equals(engine)) {
            throw new UsageException("--master is only valid with --engine spark (got --master " + master + ")");
        }
        if (shardSize < 1) {
            throw new UsageException("--shard-size must be at least 1, got " + shardSize);
        }
        if (threads < 1) {
            throw new UsageException("--threads must be at least 1, got " + threads);
        }
        CorpusEngine chosen;
        try {
            chosen = CorpusEngines.byName(engine);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        CorpusJob job = new CorpusJob(out.toString(), config, seed, programs, shardSize, ShardWriter.DEFAULT_BATCH_RECORDS);
        job.checkBudget(threads); // before any engine starts or any file (even the output directory) is written
        OutputDirectory.claim("--out", out, KIND, GenerateCommand::isUnmarkedCorpus);
        ProgressBar bar = new ProgressBar(System.err, "generate", "records", programs);
        Manifest m = chosen.generate(job, master, threads, (done, total, rejected) -> bar.update(done, "rejected " + rejected));
        double seconds = bar.elapsedSeconds();
        long bytes = m.shards().stream().mapToLong(s -> s.bytes()).sum();
        spec.commandLine().getOut().printf(Locale.ROOT,
                "wrote %d records (%d programs rejected and re-drawn) in %d shard(s), %.1f MB, to %s in %s (%.1f records/s, engine %s)%n",
                m.records(), m.rejected(), m.shards().size(), bytes / 1e6, out, ProgressBar.duration(seconds),
                m.records() / Math.max(seconds, 1e-9), chosen.name());
        return 0;
    }

    /** The kind of output directory {@code vtm generate} writes. */
    public static final String KIND = "corpus";

    /** A corpus (finished or interrupted) written before output directories were marked. */
    static boolean isUnmarkedCorpus(java.nio.file.Path dir) {
        try (java.util.stream.Stream<java.nio.file.Path> s = java.nio.file.Files.list(dir)) {
            return s.map(p -> p.getFileName().toString())
                    .allMatch(n -> n.equals(Manifest.FILE_NAME) || n.startsWith("shard-") || n.startsWith(".shard-"));
        } catch (java.io.IOException e) {
            return false;
        }
    }

    GeneratorConfig config() {
        if (programs < 1) {
            throw new UsageException("--programs must be at least 1, got " + programs);
        }
        if (dim < 1 || dim > 16) {
            throw new UsageException("--dim must be in 1..16, got " + dim);
        }
        if (order < 0 || order > 16) {
            throw new UsageException("--order must be in 0..16, got " + order);
        }
        String familyName = FunctionFamily.byName(family).name(); // lists the valid names if unknown
        int[] s = Ranges.ints("--steps", steps);
        double[] c = Ranges.doubles("--constants", constants);
        double[] p = Ranges.doubles("--points", points);
        double[] r = Ranges.doubles("--radius", radius);
        Map<String, Double> mix = ops == null ? GeneratorConfig.defaultOperators() : parseOps(ops);
        ProgramFamily programs;
        try {
            programs = ProgramFamily.byLabel(programFamily);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--program-family: " + e.getMessage());
        }
        if (programs != ProgramFamily.RANDOM) {
            for (String option : new String[] {"--ops", "--depth", "--constants"}) {
                if (given(option)) {
                    throw new UsageException(option + " applies to --program-family random only (got --program-family "
                            + programFamily + ")");
                }
            }
        }
        double[] q = {ProgramFamily.DEFAULT_POLE_RATIO_MIN, ProgramFamily.DEFAULT_POLE_RATIO_MAX};
        if (poleRatio != null) {
            if (!programs.hasPole()) {
                throw new UsageException("--pole-ratio applies to --program-family rational only (got --program-family "
                        + programFamily + ")");
            }
            q = Ranges.doubles("--pole-ratio", poleRatio);
            try {
                GeneratorConfig.checkPoleRatio(q[0], q[1]);
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
        }
        return new GeneratorConfig(dim, order, familyName, s[0], s[1], depth, mix, c[0], c[1], p[0], p[1], r[0], r[1], maxAbs,
                programs, q[0], q[1]);
    }

    /** Whether the command line names {@code option} (options with a default value are always set). */
    private boolean given(String option) {
        return spec != null && spec.commandLine().getParseResult() != null
                && spec.commandLine().getParseResult().hasMatchedOption(option);
    }

    static Map<String, Double> parseOps(String text) {
        Map<String, Double> mix = new LinkedHashMap<>();
        for (String part : text.split(",")) {
            int colon = part.lastIndexOf(':');
            if (colon <= 0) {
                throw new UsageException("--ops expects OP:WEIGHT pairs separated by commas, got '" + part + "'");
            }
            String op = part.substring(0, colon).trim();
            if (!ProgramGenerator.OPERATORS.contains(op)) {
                throw new UsageException("--ops: unknown operator '" + op + "'; valid: " + String.join(" ", ProgramGenerator.OPERATORS));
            }
            try {
                mix.put(op, Double.parseDouble(part.substring(colon + 1).trim()));
            } catch (NumberFormatException e) {
                throw new UsageException("--ops: weight of '" + op + "' is not a number: '" + part.substring(colon + 1) + "'");
            }
        }
        return mix;
    }
}
