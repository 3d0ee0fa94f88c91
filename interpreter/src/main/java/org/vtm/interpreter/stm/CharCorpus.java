package org.vtm.interpreter.stm;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.TreeSet;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.vtm.artifacts.AtomicFiles;

/**
 * A character corpus split into a training head and a held-out tail, with an alphabet and
 * batches of parallel streams for truncated BPTT: the training text is cut into {@code B}
 * contiguous streams; segment {@code k} of a batch takes characters {@code [kT, (k+1)T)} of every
 * stream (inputs) and the next characters (targets).
 */
public final class CharCorpus {
    /** Name of the built-in corpus: {@code builtin:nietzsche}. */
    public static final String BUILTIN_NIETZSCHE = "builtin:nietzsche";

    private final String alphabet;
    private final int[] index = new int[Character.MAX_VALUE + 1];
    private final int[] train;
    private final int[] heldOut;
    private final double heldOutFraction;
    private final String textSha256;

    /** Splits {@code text}: the last {@code heldOutFraction} of it is held out. */
    public CharCorpus(String text, double heldOutFraction) {
        if (text == null || text.length() < 100) {
            throw new IllegalArgumentException("the text must have at least 100 characters, got "
                    + (text == null ? 0 : text.length()));
        }
        if (!(heldOutFraction > 0 && heldOutFraction < 0.5)) {
            throw new IllegalArgumentException("held-out fraction must be in (0, 0.5), got " + heldOutFraction);
        }
        TreeSet<Character> set = new TreeSet<>();
        for (int i = 0; i < text.length(); i++) {
            set.add(text.charAt(i));
        }
        StringBuilder sb = new StringBuilder();
        set.forEach(sb::append);
        this.alphabet = sb.toString();
        Arrays.fill(index, -1);
        for (int i = 0; i < alphabet.length(); i++) {
            index[alphabet.charAt(i)] = i;
        }
        int[] all = encode(text);
        int cut = (int) Math.round(all.length * (1 - heldOutFraction));
        this.train = Arrays.copyOfRange(all, 0, cut);
        this.heldOut = Arrays.copyOfRange(all, cut, all.length);
        this.heldOutFraction = heldOutFraction;
        this.textSha256 = AtomicFiles.sha256(text.getBytes(StandardCharsets.UTF_8));
    }

    /** SHA-256 (hex) of the whole text as UTF-8: identifies the text a model was trained on. */
    public String textSha256() {
        return textSha256;
    }

    /** The held-out fraction the corpus was split with. */
    public double heldOutFraction() {
        return heldOutFraction;
    }

    /** Reads {@code builtin:nietzsche} or a UTF-8 file. */
    public static String readText(String spec) throws IOException {
        if (BUILTIN_NIETZSCHE.equals(spec)) {
            try (InputStream in = CharCorpus.class.getResourceAsStream("nietzsche.txt")) {
                if (in == null) {
                    throw new IOException("the built-in Nietzsche corpus is missing from the class path");
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("--text needs a file or " + BUILTIN_NIETZSCHE);
        }
        Path p = Path.of(spec);
        if (!Files.isRegularFile(p)) {
            throw new NoSuchFileException(spec, null, "no such text file (or use " + BUILTIN_NIETZSCHE + ")");
        }
        return Files.readString(p, StandardCharsets.UTF_8);
    }

    public String alphabet() {
        return alphabet;
    }

    public int vocab() {
        return alphabet.length();
    }

    /** Character indices of {@code text}; a character outside the alphabet is an error naming it. */
    public int[] encode(String text) {
        int[] out = new int[text.length()];
        for (int i = 0; i < out.length; i++) {
            char c = text.charAt(i);
            int k = alphabet == null ? -1 : index[c];
            if (k < 0) {
                throw new IllegalArgumentException("character U+" + String.format("%04X", (int) c)
                        + " at " + i + " is not in the corpus alphabet");
            }
            out[i] = k;
        }
        return out;
    }

    public int[] train() {
        return train.clone();
    }

    public int[] heldOut() {
        return heldOut.clone();
    }

    /** Segments available per pass for {@code batch} streams of {@code steps}: (len/batch − 1)/steps. */
    public static int segmentsPerPass(int length, int batch, int steps) {
        return Math.max(0, (length / batch - 1) / steps);
    }

    /**
     * Segment {@code k} of the {@code batch} streams of {@code data}: {x, y} one-hot [B,T,V].
     */
    public static INDArray[] segment(int[] data, int vocab, int batch, int steps, int k, DataType type) {
        int streamLength = data.length / batch;
        if ((long) (k + 1) * steps + 1 > streamLength) {
            throw new IllegalArgumentException("segment " + k + " is past the end of streams of length " + streamLength);
        }
        float[] x = new float[batch * steps * vocab];
        float[] y = new float[batch * steps * vocab];
        for (int b = 0; b < batch; b++) {
            int base = b * streamLength + k * steps;
            for (int t = 0; t < steps; t++) {
                x[(b * steps + t) * vocab + data[base + t]] = 1f;
                y[(b * steps + t) * vocab + data[base + t + 1]] = 1f;
            }
        }
        long[] shape = {batch, steps, vocab};
        return new INDArray[] {Nd4j.create(x, shape, 'c').castTo(type), Nd4j.create(y, shape, 'c').castTo(type)};
    }

    /** A one-hot [1,1,V] array for one character index. */
    public static INDArray oneHot(int vocab, int k, DataType type) {
        INDArray a = Nd4j.zeros(type, 1, 1, vocab);
        a.putScalar(new int[] {0, 0, k}, 1.0);
        return a;
    }
}
