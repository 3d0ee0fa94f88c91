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
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vtm.interpreter.train.TrainingJson;

/**
 * {@code vtm stm train} and {@code vtm stm activity} end to end on a tiny model (2 STM layers,
 * 4×4 memory, 2×2 word, a few seconds of training), and their one-line errors on bad input.
 */
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
        a.addAll(List.of(extra));
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
