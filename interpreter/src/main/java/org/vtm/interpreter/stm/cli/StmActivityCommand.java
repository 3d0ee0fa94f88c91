package org.vtm.interpreter.stm.cli;

import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.vtm.artifacts.AtomicFiles;
import org.vtm.artifacts.OutputDirectory;
import org.vtm.interpreter.stm.ActivityRenderer;
import org.vtm.interpreter.stm.CharModelFiles;
import org.vtm.interpreter.stm.CharNetwork;
import org.vtm.interpreter.stm.CharTrainer;
import org.vtm.interpreter.stm.StmConfig;
import org.vtm.interpreter.stm.StmDiagnostics;
import org.vtm.transforms.cli.UsageException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vtm stm activity}: memory read/write heat maps of a trained STM over generated characters. */
@Command(name = "activity", mixinStandardHelpOptions = true,
        description = "Generate characters with a trained STM model and render per-layer memory activity: "
                + "layer<L>-read.png / layer<L>-write.png (summed over the generated text), "
                + "frames/frame-<i>.png (one per character, all layers), layers.png (side by side).")
public final class StmActivityCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "model directory written by 'vtm stm train'")
    Path model;
    @Option(names = "--out", required = true, paramLabel = "DIR",
            description = "Directory for the pictures and generated.txt (created and marked as VTM's; a non-empty directory VTM did not write is refused, nothing of yours is deleted).") Path out;
    @Option(names = "--chars", defaultValue = "100", description = "characters to generate") int chars;
    @Option(names = "--frames", defaultValue = "40", description = "how many per-character frames to write")
    int frames;
    @Option(names = "--cell", defaultValue = "12", description = "pixels per memory cell") int cell;
    @Option(names = "--temperature", defaultValue = "0.7") double temperature;
    @Option(names = "--prime", defaultValue = "", description = "text to start from") String prime;
    @Option(names = "--seed", defaultValue = "1") long seed;

    /** The kind of output directory {@code vtm stm activity} writes. */
    public static final String KIND = "stm-activity";

    /** Activity pictures written before output directories were marked: PNGs and generated.txt only. */
    static boolean isUnmarkedActivity(Path dir) {
        try (java.util.stream.Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).allMatch(n -> n.endsWith(".png") || n.equals("generated.txt"));
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @Override
    public Integer call() throws Exception {
        OutputDirectory.checkUsable("--out", out);
        if (chars < 1 || frames < 0 || cell < 2 || cell > 64) {
            throw new IllegalArgumentException("need --chars >= 1, --frames >= 0, --cell in 2..64; got " + chars + ", "
                    + frames + ", " + cell);
        }
        if (!Files.isDirectory(model)) {
            throw new UsageException("--model " + model + " is not a directory");
        }
        CharModelFiles.Loaded loaded = CharModelFiles.load(model);
        OutputDirectory.claim("--out", out, KIND, StmActivityCommand::isUnmarkedActivity);
        CharNetwork net = loaded.network();
        if (net.kind() != CharNetwork.Kind.STM) {
            throw new UsageException("--model " + model + " is a plain LSTM; activity needs an STM model");
        }
        StmConfig c = net.config();
        CharTrainer.Sample s = CharTrainer.sample(net, loaded.alphabet(), chars, temperature, seed, prime);
        int layers = net.layers();
        int cells = c.memCells();
        StmDiagnostics diag = new StmDiagnostics(layers, cells);
        for (int i = 0; i < s.reads().size(); i++) {
            for (int l = 0; l < layers; l++) {
                diag.add(l, new double[][] {s.reads().get(i)[l]}, new double[][] {s.writes().get(i)[l]});
            }
        }
        BufferedImage[] reads = new BufferedImage[layers];
        BufferedImage[] writes = new BufferedImage[layers];
        for (int l = 0; l < layers; l++) {
            reads[l] = ActivityRenderer.heatMap(diag.readTotals(l), c.memRows(), c.memCols(), cell,
                    "layer " + (l + 1) + " read");
            writes[l] = ActivityRenderer.heatMap(diag.writeTotals(l), c.memRows(), c.memCols(), cell,
                    "layer " + (l + 1) + " write");
            ActivityRenderer.write(reads[l], out.resolve("layer" + (l + 1) + "-read.png"));
            ActivityRenderer.write(writes[l], out.resolve("layer" + (l + 1) + "-write.png"));
        }
        ActivityRenderer.write(ActivityRenderer.sideBySide(reads), out.resolve("layers.png"));
        ActivityRenderer.write(ActivityRenderer.sideBySide(writes), out.resolve("layers-write.png"));
        int n = Math.min(frames, s.reads().size());
        for (int i = 0; i < n; i++) {
            BufferedImage[] f = new BufferedImage[layers];
            char ch = s.text().charAt(i);
            String shown = ch == '\n' ? "\\n" : String.valueOf(ch);
            for (int l = 0; l < layers; l++) {
                f[l] = ActivityRenderer.heatMap(s.reads().get(i)[l], c.memRows(), c.memCols(), cell,
                        String.format(Locale.ROOT, "L%d  #%d '%s'", l + 1, i, shown));
            }
            ActivityRenderer.write(ActivityRenderer.sideBySide(f), out.resolve(String.format(Locale.ROOT,
                    "frames/frame-%04d.png", i)));
        }
        AtomicFiles.write(out.resolve("generated.txt"), s.text().getBytes(StandardCharsets.UTF_8));
        System.out.println("generated: " + s.text().replace("\n", "\\n"));
        for (StmDiagnostics.Layer d : diag.summary()) {
            System.out.println("  " + d);
        }
        System.out.println("activity written to " + out + " (" + n + " frames)");
        return 0;
    }
}
