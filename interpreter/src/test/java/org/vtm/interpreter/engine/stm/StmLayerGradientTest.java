package org.vtm.interpreter.engine.stm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each layer of the STM engine against central finite differences in double precision, for every entry of every
 * parameter and input (small shapes): the loss is a fixed random linear function of the layer's outputs, so its
 * gradient is exactly what the layer's backward pass must return.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class StmLayerGradientTest {
    private static final double EPS = 1e-6;

    static double[] random(int n, double half, SplittableRandom r) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = (2 * r.nextDouble() - 1) * half;
        }
        return a;
    }

    static double dot(double[] a, int ao, double[] b, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) {
            s += a[ao + i] * b[i];
        }
        return s;
    }

    /** Compares {@code analytic} with central differences of {@code loss} in every entry of {@code x}. */
    static int check(String name, double[] x, double[] analytic, DoubleSupplier loss) {
        int nonzero = 0;
        for (int i = 0; i < x.length; i++) {
            double orig = x[i];
            x[i] = orig + EPS;
            double plus = loss.getAsDouble();
            x[i] = orig - EPS;
            double minus = loss.getAsDouble();
            x[i] = orig;
            double numeric = (plus - minus) / (2 * EPS);
            assertTrue(Math.abs(numeric - analytic[i]) < 1e-8 + 1e-6 * Math.abs(numeric),
                    name + "[" + i + "]: analytic " + analytic[i] + ", numeric " + numeric);
            nonzero += Math.abs(analytic[i]) > 1e-10 ? 1 : 0;
        }
        return nonzero;
    }

    @Test
    void lstmCellWithCarriedStateAndExternalCell() {
        int in = 3;
        int hd = 2;
        int b = 2;
        SplittableRandom r = new SplittableRandom(1);
        Tensor w = new Tensor("W", in + hd, 4L * hd);
        Tensor bias = new Tensor("b", 1, 4L * hd);
        System.arraycopy(random(w.size(), 0.8, r), 0, w.value, 0, w.size());
        System.arraycopy(random(bias.size(), 0.5, r), 0, bias.value, 0, bias.size());
        double[] x = random(2 * b * in, 1, r);   // two steps
        double[] h0 = random(b * hd, 0.5, r);
        double[] c0 = random(b * hd, 0.5, r);
        double[] cExt = random(b * hd, 0.5, r); // step 1's previous cell comes from outside (the STM's read word)
        double[] rh = random(2 * b * hd, 1, r);
        double[] rc = random(2 * b * hd, 1, r);
        LstmCell cell = new LstmCell(w, bias, in, hd, b, 2);
        DoubleSupplier loss = () -> {
            cell.prepare();
            cell.forward(0, x, 0, h0, 0, c0, 0);
            cell.forward(1, x, b * in, cell.h(), cell.offset(0), cExt, 0);
            return dot(cell.h(), 0, rh, 2 * b * hd) + dot(cell.c(), 0, rc, 2 * b * hd);
        };
        loss.getAsDouble();
        double[] dx = new double[x.length];
        double[] dh0 = new double[h0.length];
        double[] dc0 = new double[c0.length];
        double[] dcExt = new double[cExt.length];
        double[] dhCarry = new double[b * hd];
        double[] dh1 = java.util.Arrays.copyOfRange(rh, b * hd, 2 * b * hd);
        cell.backward(1, dh1, 0, rc, b * hd, dx, b * in, dhCarry, 0, dcExt, 0);
        double[] dhStep0 = java.util.Arrays.copyOf(rh, b * hd);
        for (int i = 0; i < dhStep0.length; i++) {
            dhStep0[i] += dhCarry[i];
        }
        cell.backward(0, dhStep0, 0, rc, 0, dx, 0, dh0, 0, dc0, 0);
        cell.finish();
        double[] gw = w.grad.clone();
        double[] gb = bias.grad.clone();
        int nz = check("W", w.value, gw, loss) + check("b", bias.value, gb, loss) + check("x", x, dx, loss)
                + check("h0", h0, dh0, loss) + check("c0", c0, dc0, loss) + check("c_ext", cExt, dcExt, loss);
        assertTrue(nz > 50, nz + " non-zero gradient entries");
    }

    /** A word denser than the memory, so the access map exceeds 1 somewhere and the erase clip is active. */
    static StmSampler sampler(Tensor w, Tensor b, boolean full, boolean tanh, int hidden, int batch, boolean nearest) {
        double[] base = full ? new double[] {0.9, 0.05, 0.1, -0.05, 0.8, -0.1} : new double[] {0.9, 0.8, 0.1, -0.1};
        return new StmSampler(w, b, full, tanh, base, hidden, 4, 3, 3, 4, batch, 1, nearest);
    }

    @ParameterizedTest
    @CsvSource({"true,true", "true,false", "false,true", "false,false"})
    void samplerReadGradients(boolean full, boolean tanh) {
        int hd = 3;
        int b = 2;
        int f = full ? 6 : 4;
        int p = 12;
        int cells = 12;
        SplittableRandom r = new SplittableRandom(full ? 2 : 3);
        Tensor w = new Tensor("thW", hd, f);
        Tensor bias = new Tensor("thb", 1, f);
        System.arraycopy(random(w.size(), 0.4, r), 0, w.value, 0, w.size());
        System.arraycopy(random(f, 0.2, r), 0, bias.value, 0, f);
        double[] h = random(b * hd, 1, r);
        double[] mem = random(b * cells, 1, r);
        double[] rw = random(b * p, 1, r);
        StmSampler s = sampler(w, bias, full, tanh, hd, b, false);
        DoubleSupplier loss = () -> {
            s.address(0, h, 0);
            s.read(0, mem, 0);
            return dot(s.word(), 0, rw, b * p);
        };
        loss.getAsDouble();
        java.util.Arrays.fill(w.grad, 0);
        java.util.Arrays.fill(bias.grad, 0);
        double[] dMem = new double[mem.length];
        double[] dh = new double[h.length];
        s.readBackward(0, rw, 0, mem, 0, dMem, 0);
        s.thetaBackward(0, dh, 0);
        int nz = check("thW", w.value, w.grad.clone(), loss) + check("thb", bias.value, bias.grad.clone(), loss)
                + check("h", h, dh, loss) + check("mem", mem, dMem, loss);
        assertTrue(nz > 30, nz + " non-zero gradient entries");
    }

    @ParameterizedTest
    @CsvSource({"true,true", "false,false"})
    void bilinearWriteGradientsIncludingTheErasureClip(boolean full, boolean tanh) {
        int hd = 3;
        int b = 2;
        int f = full ? 6 : 4;
        int p = 12;
        int cells = 12;
        SplittableRandom r = new SplittableRandom(5);
        Tensor w = new Tensor("thW", hd, f);
        Tensor bias = new Tensor("thb", 1, f);
        System.arraycopy(random(w.size(), 0.4, r), 0, w.value, 0, w.size());
        System.arraycopy(random(f, 0.2, r), 0, bias.value, 0, f);
        double[] h = random(b * hd, 1, r);
        double[] mem = random(b * cells, 1, r);
        double[] word = random(b * p, 1, r);
        double[] rm = random(b * cells, 1, r);
        StmSampler s = sampler(w, bias, full, tanh, hd, b, false);
        MemoryWrite write = new MemoryWrite(p, 3, 4, b, 1, true);
        double[] out = new double[mem.length];
        DoubleSupplier loss = () -> {
            s.address(0, h, 0);
            write.forward(0, s.weights(), mem, 0, word, 0, out, 0);
            return dot(out, 0, rm, out.length);
        };
        loss.getAsDouble();
        int clipped = 0;
        int partial = 0;
        for (double a : write.access()) {
            clipped += a > 1 ? 1 : 0;
            partial += a > 0 && a < 1 ? 1 : 0;
        }
        assertTrue(clipped > 0 && partial > 0, "access map: " + clipped + " cells above 1, " + partial + " in (0, 1)");
        java.util.Arrays.fill(w.grad, 0);
        java.util.Arrays.fill(bias.grad, 0);
        double[] dMem = new double[mem.length];
        double[] dWord = new double[word.length];
        double[] dh = new double[h.length];
        write.backward(0, s.weights(), mem, 0, word, 0, rm, 0, dMem, 0, dWord, 0);
        s.thetaBackward(0, dh, 0);
        int nz = check("thW", w.value, w.grad.clone(), loss) + check("thb", bias.value, bias.grad.clone(), loss)
                + check("h", h, dh, loss) + check("mem", mem, dMem, loss) + check("word", word, dWord, loss);
        assertTrue(nz > 40, nz + " non-zero gradient entries");
    }

    @Test
    void nearestWriteSendsNoGradientToTheta() {
        int hd = 3;
        int b = 2;
        int p = 12;
        int cells = 12;
        SplittableRandom r = new SplittableRandom(6);
        Tensor w = new Tensor("thW", hd, 6);
        Tensor bias = new Tensor("thb", 1, 6);
        System.arraycopy(random(w.size(), 0.4, r), 0, w.value, 0, w.size());
        double[] h = random(b * hd, 1, r);
        double[] mem = random(b * cells, 1, r);
        double[] word = random(b * p, 1, r);
        double[] rm = random(b * cells, 1, r);
        StmSampler s = sampler(w, bias, true, true, hd, b, true);
        MemoryWrite write = new MemoryWrite(p, 3, 4, b, 1, false);
        double[] out = new double[mem.length];
        DoubleSupplier loss = () -> {
            s.address(0, h, 0);
            write.forward(0, s.nearestWeights(), mem, 0, word, 0, out, 0);
            return dot(out, 0, rm, out.length);
        };
        loss.getAsDouble();
        java.util.Arrays.fill(w.grad, 0);
        java.util.Arrays.fill(bias.grad, 0);
        double[] dMem = new double[mem.length];
        double[] dWord = new double[word.length];
        double[] dh = new double[h.length];
        write.backward(0, s.nearestWeights(), mem, 0, word, 0, rm, 0, dMem, 0, dWord, 0);
        s.thetaBackward(0, dh, 0);
        int nz = check("mem", mem, dMem, loss) + check("word", word, dWord, loss) + check("thW", w.value, w.grad.clone(),
                loss) + check("h", h, dh, loss);
        assertTrue(nz > 10, nz + " non-zero gradient entries");
        for (double g : w.grad) {
            assertEquals(0.0, g, 0.0);
        }
    }

    @Test
    void linearAndSoftmaxCrossEntropy() {
        int in = 4;
        int v = 5;
        int b = 3;
        SplittableRandom r = new SplittableRandom(7);
        Tensor w = new Tensor("outW", in, v);
        Tensor bias = new Tensor("outb", 1, v);
        System.arraycopy(random(w.size(), 1, r), 0, w.value, 0, w.size());
        System.arraycopy(random(v, 1, r), 0, bias.value, 0, v);
        double[] x = random(2 * b * in, 1, r);
        double[] y = new double[2 * b * v];
        for (int i = 0; i < 2 * b; i++) {
            y[i * v + r.nextInt(v)] = 1.0;
        }
        y[3] += 0.5; // a non-one-hot row: the loss is −Σ y·logSoftmax for any weights
        Linear lin = new Linear(w, bias, in, v, b, 2);
        DoubleSupplier loss = () -> {
            lin.prepare();
            double l = 0;
            for (int s = 0; s < 2; s++) {
                lin.forward(s, x, s * b * in);
                l += SoftmaxCrossEntropy.loss(lin.y(), s * b * v, y, s * b * v, b, v, 0.25, lin.dy(), s * b * v);
            }
            return l;
        };
        loss.getAsDouble();
        double[] dx = new double[x.length];
        lin.backward(1, dx, b * in);
        lin.backward(0, dx, 0);
        lin.finish();
        int nz = check("outW", w.value, w.grad.clone(), loss) + check("outb", bias.value, bias.grad.clone(), loss)
                + check("x", x, dx, loss);
        assertTrue(nz > 40, nz + " non-zero gradient entries");
    }
}
