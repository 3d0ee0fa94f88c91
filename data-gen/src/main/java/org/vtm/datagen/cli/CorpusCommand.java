package org.vtm.datagen.cli;

import java.io.PrintWriter;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.vtm.datagen.CorpusLayout;
import org.vtm.datagen.CorpusReader;
import org.vtm.datagen.CorpusRecord;
import org.vtm.datagen.Manifest;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code vtm corpus …}: look into corpora. */
@Command(name = "corpus",
        mixinStandardHelpOptions = true,
        description = "Inspect program corpora written by 'vtm generate'.",
        subcommands = CorpusCommand.Inspect.class)
public final class CorpusCommand implements Runnable {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing a subcommand");
    }

    /** {@code vtm corpus inspect DIR}. */
    @Command(name = "inspect",
            mixinStandardHelpOptions = true,
            description = "Verify a corpus (checksums, schema) and print its manifest, schema and first records.")
    public static final class Inspect implements Callable<Integer> {
        @Spec
        CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "DIR", description = "Corpus directory (with manifest.json).")
        Path dir;

        @Option(names = "--records", defaultValue = "3", paramLabel = "K", description = "How many records to print (default: ${DEFAULT-VALUE}).")
        int records;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            CorpusReader reader = CorpusReader.open(dir);
            Manifest m = reader.manifest();
            CorpusLayout layout = reader.layout();
            out.println("corpus " + dir.toAbsolutePath() + "  (checksums verified)");
            out.println("  format      " + m.format() + ", shards " + m.schema() + ", written by VTM " + m.vtmVersion());
            out.println("  provenance  " + m.provenance());
            out.printf(Locale.ROOT, "  records     %d in %d shard(s), %d programs rejected while drawing%n", m.records(),
                    m.shards().size(), m.rejected());
            out.println("  seed        " + m.seed());
            out.println("  generator   " + m.generator());
            out.printf(Locale.ROOT, "  layout      d=%d n=%d family=%s M=%d S=%d%n", layout.dim(), layout.order(),
                    layout.family(), layout.terms(), layout.samples());
            out.println("schema");
            Path first = dir.resolve(m.shards().get(0).file());
            try (BufferAllocator allocator = new RootAllocator();
                    FileChannel ch = FileChannel.open(first, StandardOpenOption.READ);
                    ArrowFileReader arrow = new ArrowFileReader(ch, allocator)) {
                Schema schema = arrow.getVectorSchemaRoot().getSchema();
                out.println("  format=" + schema.getCustomMetadata().get("format"));
                for (Field f : schema.getFields()) {
                    String shape = f.getMetadata().get("shape");
                    out.printf(Locale.ROOT, "  %-20s %s%s%n", f.getName(), typeName(f),
                            shape == null ? "" : "  shape " + shape + " (" + f.getMetadata().get("axes") + ")");
                }
            }
            List<CorpusRecord> head = reader.head(Math.max(0, records));
            int[][] alphas = layout.alphas();
            for (CorpusRecord r : head) {
                out.println("record " + r.index() + (r.rejectedBefore() > 0 ? "  (after " + r.rejectedBefore() + " rejected draws)" : ""));
                out.println("  program  " + r.program() + "   [" + r.programFamily() + (Double.isNaN(r.poleDistance()) ? ""
                        : String.format(Locale.ROOT, ", ρ = %.4g, r/ρ = %.4g", r.poleDistance(), r.poleRatio())) + "]");
                out.println("  v0       " + fmt(r.point()) + "   r = " + String.format(Locale.ROOT, "%.4g", r.radius()));
                double[][] errors = r.errors();
                double[][] prefix = r.prefixExpansion();
                for (int t = 0; t < r.steps(); t++) {
                    out.printf(Locale.ROOT, "  prefix %d  v_t %s  rel.L2 errors: taylor %.3e  fixed %.3e  oracle %.3e%n", t,
                            fmt(r.stepPoints()[t]), errors[t][0], errors[t][2], errors[t][4]);
                    int show = Math.min(layout.terms(), 6);
                    StringBuilder s = new StringBuilder("            a_t[out 0]: ");
                    for (int a = 0; a < show; a++) {
                        s.append(Arrays.toString(alphas[a]).replace(" ", "")).append('=')
                                .append(String.format(Locale.ROOT, "%.4g", prefix[t][a])).append("  ");
                    }
                    out.println(s.append(show < layout.terms() ? "…" : "").toString().stripTrailing());
                }
            }
            out.flush();
            return 0;
        }

        private static String typeName(Field f) {
            if (f.getChildren().isEmpty()) {
                return f.getType().toString();
            }
            return f.getType() + "<" + typeName(f.getChildren().get(0)) + ">";
        }

        private static String fmt(double[] v) {
            StringBuilder s = new StringBuilder("(");
            for (int i = 0; i < v.length; i++) {
                s.append(i > 0 ? ", " : "").append(String.format(Locale.ROOT, "%.4g", v[i]));
            }
            return s.append(')').toString();
        }
    }

}
