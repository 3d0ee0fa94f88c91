package org.vtm.interpreter;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Packs programs into the model's placeholders ({@link InterpreterModel#X} … {@link InterpreterModel#W}). */
public final class ModelInputs {
    /** Added to ‖y‖² in the row weight so that a program that is zero on the region does not divide by zero. */
    static final double EPS = 1e-12;
    /** Row weights use {@code ‖y‖² + FLOOR·mean_batch(‖y‖²)}. */
    static final double FLOOR = 1e-2;

    private ModelInputs() {
    }

    /**
     * Features and expansions only (for prediction): {@code x} [B,T,F] and {@code a} [B·T,d,M] (and {@code next},
     * {@code structure} when the inputs need them).
     */
    public static Map<String, INDArray> inputs(ModelConfig config, List<StepDataset.Sample> samples, int maxSteps) {
        int d = config.dim();
        int m = config.terms();
        int f = config.features();
        int b = samples.size();
        double[] x = new double[b * maxSteps * f];
        double[] a = new double[b * maxSteps * d * m];
        boolean nextOrder = config.inputs() == ModelConfig.Inputs.NEXT_ORDER;
        int k = nextOrder ? config.nextTerms() : 0;
        double[] next = new double[b * maxSteps * d * k];
        for (int i = 0; i < b; i++) {
            StepDataset.Sample s = samples.get(i);
            for (int t = 0; t < s.steps(); t++) {
                int row = i * maxSteps + t;
                InterpreterModel.features(config, s.stepPoints(), t * d, s.prefix(), t * d * m, s.next(), t * d * k,
                        s.radius(), t, x, row * f);
                System.arraycopy(s.prefix(), t * d * m, a, row * d * m, d * m);
                if (nextOrder) {
                    if (s.next() == null) {
                        throw new IllegalArgumentException("the model needs the degree-" + (config.order() + 1)
                                + " terms of the prefix expansion, which sample " + s.index() + " lacks");
                    }
                    System.arraycopy(s.next(), t * d * k, next, row * d * k, d * k);
                }
            }
        }
        Map<String, INDArray> map = new HashMap<>();
        if (config.structure()) {
            List<double[]> tables = new java.util.ArrayList<>();
            for (StepDataset.Sample s : samples) {
                tables.add(s.syntax());
            }
            map.put(InterpreterModel.STRUCTURE, ProgramSyntax.batch(tables, maxSteps));
        }
        map.put(InterpreterModel.X, Nd4j.createFromArray(x).reshape(b, maxSteps, f));
        map.put(InterpreterModel.A, Nd4j.createFromArray(a).reshape((long) b * maxSteps, d, m));
        if (nextOrder) {
            map.put(InterpreterModel.NEXT, Nd4j.createFromArray(next).reshape((long) b * maxSteps, d, k));
        }
        return map;
    }

    /**
     * All four placeholders for training: {@code w = mask / ((‖y‖² + 0.01·mean_batch ‖y‖² + ε) · realRows)}, so the loss
     * is the mean over real steps of the relative squared L2 error at the sample points.
     */
    public static Map<String, INDArray> training(ModelConfig config, List<StepDataset.Sample> samples, int maxSteps,
            int sampleCount) {
        Map<String, INDArray> map = inputs(config, samples, maxSteps);
        int d = config.dim();
        int b = samples.size();
        double[] y = new double[b * maxSteps * d * sampleCount];
        double[] w = new double[b * maxSteps];
        int rows = 0;
        for (StepDataset.Sample s : samples) {
            rows += s.steps();
        }
        int width = d * sampleCount;
        // floor of the normalisation: a program nearly zero over its region would otherwise get an
        // unbounded weight 1/‖y‖² and dominate (and destabilise) the batch
        double meanNorm = 0;
        for (StepDataset.Sample s : samples) {
            for (int j = 0; j < s.steps() * width; j++) {
                meanNorm += s.values()[j] * s.values()[j];
            }
        }
        meanNorm /= Math.max(1, rows);
        double floor = FLOOR * meanNorm + EPS;
        boolean log = config.loss() == ModelConfig.Loss.LOG_REL;
        double[] mask = log ? new double[b * maxSteps] : null;
        for (int i = 0; i < b; i++) {
            StepDataset.Sample s = samples.get(i);
            for (int t = 0; t < s.steps(); t++) {
                int row = i * maxSteps + t;
                double norm = 0;
                for (int j = 0; j < width; j++) {
                    double v = s.values()[t * width + j];
                    y[row * width + j] = v;
                    norm += v * v;
                }
                if (log) {
                    w[row] = 1.0 / (norm + EPS);
                    mask[row] = 1.0 / rows;
                } else {
                    w[row] = 1.0 / ((norm + floor) * rows);
                }
            }
        }
        if (log) {
            map.put(InterpreterModel.MASK, Nd4j.createFromArray(mask));
        }
        map.put(InterpreterModel.Y, Nd4j.createFromArray(y).reshape((long) b * maxSteps, d, sampleCount));
        map.put(InterpreterModel.W, Nd4j.createFromArray(w).reshape((long) b * maxSteps, 1, 1));
        return map;
    }

    /** The largest step count among {@code samples}. */
    public static int maxSteps(List<StepDataset.Sample> samples) {
        int t = 1;
        for (StepDataset.Sample s : samples) {
            t = Math.max(t, s.steps());
        }
        return t;
    }
}
