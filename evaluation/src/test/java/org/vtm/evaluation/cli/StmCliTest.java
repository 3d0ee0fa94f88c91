package org.vtm.evaluation.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.vtm.interpreter.train.TrainingJson;

/**
 * {@code vtm stm train} and {@code vtm stm activity} end to end on a tiny model (2 STM layers,
 * 4×4 memory, 2×2 word, a few seconds of training), and their one-line errors on bad input.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class StmCliTest {
    static {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    }

    /** Output, error output and exit code of one in-process run. */
    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = VtmMain.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    static final int LAYERS = 2;
    static final int MEM = 4;
    static final int CELL = 8;

    @TempDir
    static Path dir;
    static Path text;
    static Path model;
    static Run trained;

    /** The tiny arguments every train run here shares; {@code extra} overrides or adds options. */
    static String[] train(Path out, String... extra) {
        List<String> a = new ArrayList<>(List.of("stm", "train", "--text", text.toString(), "--layers",
                String.valueOf(LAYERS), "--memory", MEM + "x" + MEM, "--word", "2x2", "--controller", "8", "--batch",
                "2", "--segment", "4", "--minutes", "0.05", "--epochs", "1", "--held-out", "0.2", "--eval-chars",
                "100", "--sample", "20", "--out", out.toString()));
        for (int i = 0; i < extra.length; i++) {
            if (extra[i].equals("--resume")) { // the one flag without a value
                a.add(extra[i]);
                continue;
            }
            int at = a.indexOf(extra[i]);
            if (at >= 0) {
                a.set(at + 1, extra[++i]);
            } else {
                a.add(extra[i]);
                a.add(extra[++i]);
            }
        }
        return a.toArray(new String[0]);
    }

    @BeforeAll
    static void trainTinyModel() throws IOException {
        text = dir.resolve("tiny.txt");
        Files.writeString(text, "the cat sat on the mat. ".repeat(40), StandardCharsets.UTF_8); // 960 chars
        model = dir.resolve("model");
        trained = run(train(model));
    }

    @Test
    void tinyTrainRunWritesTheModelDirectory() throws IOException {
        assertEquals(0, trained.code(), trained.err());
        for (String f : new String[] {"params.sd", "result.json", "sample.txt", "diagnostics.json"}) {
            assertTrue(Files.isRegularFile(model.resolve(f)), f + " missing in " + model);
        }
        JsonNode r = TrainingJson.MAPPER.readTree(model.resolve("result.json").toFile());
        double bpc = r.path("heldOutBitsPerChar").asDouble(Double.NaN);
        // 12 distinct characters: any evaluated model scores a finite, positive number of bits
        assertTrue(bpc > 0 && bpc < 10, "held-out bits/char " + bpc + " in " + r);
        assertTrue(r.path("updatesTotal").asLong() > 0, r.toString());
        assertEquals(20, Files.readString(model.resolve("sample.txt"), StandardCharsets.UTF_8).length());
    }

    @Test
    void badTrainInputsExitWithTwoAndOneLine() {
        Path out = dir.resolve("bad");
        String[][] cases = {
            train(out, "--memory", "20x"),
            train(out, "--memory", "4x4", "--word", "5x5"),
            train(out, "--model", "gru"),
            train(out, "--text", dir.resolve("no-such.txt").toString()),
            train(out, "--layers", "0"),
            train(out, "--controller", "0"),
            train(out, "--batch", "0"),
            train(out, "--segment", "-1"),
            train(out, "--minutes", "0"),
            train(out, "--model", "lstm", "--lstm-hidden", "-3"),
        };
        for (String[] args : cases) {
            String shown = String.join(" ", args);
            Run r = run(args);
            assertEquals(VtmMain.EXIT_USAGE, r.code(), shown + ": " + r.err());
            assertEquals(1, r.err().lines().count(), "one line for " + shown + ": " + r.err());
            assertFalse(r.err().contains("Exception"), r.err());
            assertTrue(r.err().startsWith("vtm stm train: "), r.err());
        }
        assertFalse(Files.exists(out.resolve("params.sd")), "no model from a rejected run");
    }

    /** Every size and budget has a stated range; a value outside it is refused by name before training. */
    @Test
    void trainOptionsOutsideTheirLimitsAreRefusedByName() {
        Path out = dir.resolve("limits");
        String[][] cases = {
            {"--controller", "5000", "1..4096"},
            {"--lstm-hidden", "5000", "0..4096"},
            {"--layers", "65", "1..64"},
            {"--batch", "70000", "1..65536"},
            {"--segment", "2000", "1..1024"},
            {"--lr", "NaN", "(0, 10]"},
            {"--lr", "-0.1", "(0, 10]"},
            {"--minutes", "1e9", "(0, 43200]"},
            {"--epochs", "0", "1..1000000"},
            {"--eval-every", "-1", "[0, 43200]"},
        };
        for (String[] c : cases) {
            Run r = run(train(out, c[0], c[1]));
            String shown = c[0] + " " + c[1];
            assertEquals(VtmMain.EXIT_USAGE, r.code(), shown + ": " + r.err());
            assertEquals(1, r.err().lines().count(), "one line for " + shown + ": " + r.err());
            assertTrue(r.err().startsWith("vtm stm train: " + c[0] + " ") && r.err().strip().endsWith(c[2]), r.err());
        }
        assertFalse(Files.exists(out), "nothing written for a refused run");
        Run help = run("stm", "train", "--help");
        assertTrue(help.out().contains("1..4096") && help.out().contains("--resume"), help.out());
    }

    /** An --out holding checkpoints is continued only with --resume, and only by the same run. */
    @Test
    void resumeIsExplicitAndChecksConfigurationAlphabetAndText() throws IOException {
        assertEquals(0, trained.code(), trained.err());
        Path marker = model.resolve("complete.json");
        assertTrue(Files.isRegularFile(marker), "a finished run is marked");
        String before = Files.readString(marker);

        assertUsage(run(train(model)), "already holds a training run", "pass --resume", "another --out");
        assertUsage(run(train(model, "--resume", "--controller", "16")),
                "--resume: checkpoint was trained with --controller 8, this run asks for 16");
        assertUsage(run(train(model, "--resume", "--memory", "5x5")),
                "--resume: checkpoint was trained with --memory 4x4, this run asks for 5x5");
        assertUsage(run(train(model, "--resume", "--model", "lstm")),
                "--resume: checkpoint was trained with --model stm, this run asks for lstm");
        Path sameLetters = dir.resolve("same-letters.txt");
        Files.writeString(sameLetters, "the mat sat on the cat. ".repeat(40), StandardCharsets.UTF_8);
        assertUsage(run(train(model, "--resume", "--text", sameLetters.toString())),
                "--resume: checkpoint was trained with text SHA-256 ");
        Path otherLetters = dir.resolve("other-letters.txt");
        Files.writeString(otherLetters, "the dog sat on the log. ".repeat(40), StandardCharsets.UTF_8);
        assertUsage(run(train(model, "--resume", "--text", otherLetters.toString())),
                "--resume: checkpoint was trained with alphabet \" .acehmnost\", this run asks for \" .adeghlnost\"");
        assertEquals(before, Files.readString(marker), "a refused resume changes nothing");
        assertTrue(Files.isRegularFile(model.resolve("params.sd")));
    }

    /** Checkpoints written before runs were checked carry no configuration: resuming them is refused. */
    @Test
    void checkpointsWithoutARecordedConfigurationAreNotResumed() throws IOException {
        Path old = copyModel("old-checkpoints");
        try (Stream<Path> files = Files.walk(old.resolve("checkpoints"))) {
            for (Path p : files.filter(p -> p.getFileName().toString().equals("run.json")).toList()) {
                Files.delete(p);
            }
        }
        assertUsage(run(train(old, "--resume")), "records no run configuration", "choose another --out");
    }

    /** A resumed run may change its budget and batch; while it runs, and if it dies, the directory is no model. */
    @Test
    void aMatchingResumeContinuesAndAnUnfinishedModelIsRefused() throws IOException {
        Path again = copyModel("again");
        Run r = run(train(again, "--resume", "--batch", "3", "--minutes", "0.03"));
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.isRegularFile(again.resolve("complete.json")));
        Run ok = run("stm", "activity", "--model", again.toString(), "--out", dir.resolve("act-again").toString(),
                "--chars", "4", "--frames", "1");
        assertEquals(0, ok.code(), ok.err());

        Files.delete(again.resolve("complete.json")); // what a run killed after its model.json leaves
        Run refused = run("stm", "activity", "--model", again.toString(), "--out", dir.resolve("act-refused").toString(),
                "--chars", "4", "--frames", "1");
        assertUsage(refused, again.toString(), "did not finish", "vtm stm train --resume");
    }

    /** {@code vtm stm evaluate} and {@code diagnose} end to end; their and the new train options' one-line errors. */
    @Test
    void evaluateAndDiagnoseTheTinyModel() throws IOException {
        assertEquals(0, trained.code(), trained.err());
        Path report = dir.resolve("eval.json");
        Run ok = run("stm", "evaluate", "--model", model.toString(), "--out", report.toString(), "--samples", "1",
                "--sample-chars", "20", "--window", "30");
        assertEquals(0, ok.code(), ok.err());
        JsonNode r = TrainingJson.MAPPER.readTree(report.toFile());
        double whole = r.path("models").get(0).path("wholeTailBitsPerChar").asDouble(Double.NaN);
        assertEquals(TrainingJson.MAPPER.readTree(model.resolve("result.json").toFile())
                .path("heldOutWholeTailBitsPerChar").asDouble(Double.NaN), whole, 1e-9,
                "vtm stm train's whole-tail figure is the one vtm stm evaluate computes");
        assertUsage(run("stm", "evaluate", "--model", model.toString(), "--window", "0"),
                "--window must be 1..1000000, got 0");
        assertUsage(run("stm", "evaluate", "--model", dir.resolve("nothing").toString()), "is not a directory");
        Run d = run("stm", "diagnose", "--model", model.toString(), "--out", dir.resolve("diag").toString(), "--bins",
                "10");
        assertEquals(0, d.code(), d.err());
        assertTrue(Files.isRegularFile(dir.resolve("diag/summary.json")));
        assertUsage(run("stm", "train", "--text", text.toString(), "--plateau", "0.01", "--out",
                dir.resolve("plateau").toString()), "--plateau and --eval-every-chars apply to a character budget");
        assertUsage(run(train(dir.resolve("cosine"), "--lr-schedule", "cosine")), "give --chars");
        assertUsage(run(train(dir.resolve("schedule"), "--lr-schedule", "linear")), "--lr-schedule must be one of");
    }

    static void assertUsage(Run r, String... phrases) {
        assertEquals(VtmMain.EXIT_USAGE, r.code(), r.err());
        assertEquals(1, r.err().lines().count(), "one line: " + r.err());
        assertFalse(r.err().contains("Exception") || r.err().contains("internal error"), r.err());
        for (String p : phrases) {
            assertTrue(r.err().contains(p), "'" + p + "' in: " + r.err());
        }
    }

    static Path copyModel(String name) throws IOException {
        Path dst = dir.resolve(name);
        try (Stream<Path> walk = Files.walk(model)) {
            for (Path p : walk.toList()) {
                Files.copy(p, dst.resolve(model.relativize(p).toString()));
            }
        }
        return dst;
    }

    @Test
    void badActivityInputsExitWithTwoAndOneLine() {
        String[][] cases = {
            {"stm", "activity", "--model", dir.resolve("missing").toString(), "--out", dir.resolve("a1").toString()},
            {"stm", "activity", "--model", model.toString(), "--out", dir.resolve("a2").toString(), "--chars", "0"},
            {"stm", "activity", "--model", model.toString(), "--out", dir.resolve("a3").toString(), "--cell", "1"},
        };
        for (String[] args : cases) {
            Run r = run(args);
            String shown = String.join(" ", args);
            assertEquals(VtmMain.EXIT_USAGE, r.code(), shown + ": " + r.err());
            assertEquals(1, r.err().lines().count(), "one line for " + shown + ": " + r.err());
            assertFalse(r.err().contains("Exception"), r.err());
        }
    }

    @Test
    void activityWritesNonBlankPngsOfTheExpectedSize() throws IOException {
        assertEquals(0, trained.code(), trained.err());
        Path out = dir.resolve("activity");
        Run r = run("stm", "activity", "--model", model.toString(), "--out", out.toString(), "--chars", "12",
                "--frames", "3", "--cell", String.valueOf(CELL));
        assertEquals(0, r.code(), r.err());
        // ActivityRenderer: a heat map is cols·cell wide and rows·cell + 16 (caption) high; side by side
        // adds an 8-pixel gap before, between and after the maps and 8 pixels above and below
        int mapW = MEM * CELL;
        int mapH = MEM * CELL + 16;
        int sideW = 8 + LAYERS * (mapW + 8);
        int sideH = mapH + 16;
        for (int l = 1; l <= LAYERS; l++) {
            for (String kind : new String[] {"read", "write"}) {
                BufferedImage img = read(out.resolve("layer" + l + "-" + kind + ".png"));
                assertEquals(mapW, img.getWidth(), "layer " + l + " " + kind);
                assertEquals(mapH, img.getHeight(), "layer " + l + " " + kind);
                assertHeatMapNotBlank(img, 0, 16, "layer " + l + " " + kind);
            }
        }
        for (String f : new String[] {"layers.png", "layers-write.png", "frames/frame-0000.png",
            "frames/frame-0002.png"}) {
            BufferedImage img = read(out.resolve(f));
            assertEquals(sideW, img.getWidth(), f);
            assertEquals(sideH, img.getHeight(), f);
            for (int l = 0; l < LAYERS; l++) {
                assertHeatMapNotBlank(img, 8 + l * (mapW + 8), 8 + 16, f + " map " + (l + 1));
            }
        }
        assertFalse(Files.exists(out.resolve("frames/frame-0003.png")), "only --frames 3 frames");
        assertEquals(12, Files.readString(out.resolve("generated.txt"), StandardCharsets.UTF_8).length());
    }

    static BufferedImage read(Path p) throws IOException {
        assertTrue(Files.isRegularFile(p), p + " missing");
        BufferedImage img = ImageIO.read(p.toFile());
        assertNotNull(img, p + " is not a readable image");
        return img;
    }

    /**
     * The heat map whose top-left memory cell is at (x0, y0) has activity: the centre pixels of its
     * cells (grid lines and caption excluded) are tinted somewhere (red below white) and not all
     * alike (variance of the red channel > 0; the tiny model's bilinear access spreads over cells).
     */
    static void assertHeatMapNotBlank(BufferedImage img, int x0, int y0, String what) {
        double sum = 0;
        double sum2 = 0;
        int tinted = 0;
        int n = MEM * MEM;
        for (int a = 0; a < MEM; a++) {
            for (int c = 0; c < MEM; c++) {
                int rgb = img.getRGB(x0 + c * CELL + CELL / 2, y0 + a * CELL + CELL / 2);
                int red = (rgb >> 16) & 0xff;
                int blue = rgb & 0xff;
                assertEquals(255, blue, what + ": cell colours keep blue at 255");
                if (red < 255) {
                    tinted++;
                }
                sum += red;
                sum2 += (double) red * red;
            }
        }
        double mean = sum / n;
        double variance = sum2 / n - mean * mean;
        assertTrue(tinted > 0, what + ": no cell has any activity");
        assertTrue(variance > 0, what + ": all cells alike (red " + mean + ")");
    }
}
