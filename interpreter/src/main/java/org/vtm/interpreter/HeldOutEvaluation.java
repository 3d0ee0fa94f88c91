package org.vtm.interpreter;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.vtm.transforms.ErrorMetrics;
import org.vtm.transforms.FunctionSet;

/**
 * Learned vs fixed vs oracle on a corpus of programs the model has not seen: the relative L2
 * error of each whole program (its last step prefix) at the corpus' sample points. Fixed and
 * oracle errors are the corpus' own; learned errors are computed from the model's coefficients.
 *
 * @param programs programs evaluated
 * @param medianFixed median relative L2 error of the fixed T_FX series
 * @param medianLearned median relative L2 error of the learned series
 * @param medianOracle median relative L2 error of the least-squares oracle
 * @param gapClosed {@code (medianFixed − medianLearned) / (medianFixed − medianOracle)}
 * @param fractionBetter fraction of programs where learned beats fixed
 */
public record HeldOutEvaluation(int programs, double medianFixed, double medianLearned, double medianOracle,
        double gapClosed, double fractionBetter) {

    /** Evaluates {@code model} on every program of {@code corpus}. */
    public static HeldOutEvaluation of(LearnedInterpreter model, Path corpus) throws IOException {
        ModelConfig c = model.config();
        StepDataset data = StepDataset.read(corpus, c.family(), c.dim(), c.order(), c.maxSteps(),
                c.inputs() == ModelConfig.Inputs.NEXT_ORDER);
        FunctionSet set = model.functionSet();
        double[] phi = InterpreterModel.phi(set, data.layout().samplePoints());
        int m = set.size();
        int s = data.layout().samples();
        int d = c.dim();
        List<StepDataset.Sample> all = data.samples();
        double[] fixed = new double[all.size()];
        double[] learned = new double[all.size()];
        double[] oracle = new double[all.size()];
        int better = 0;
        for (int from = 0; from < all.size(); from += 256) {
            List<StepDataset.Sample> part = all.subList(from, Math.min(all.size(), from + 256));
            double[][] coef = model.coefficients(part, c.maxSteps());
            for (int i = 0; i < part.size(); i++) {
                StepDataset.Sample p = part.get(i);
                int t = p.steps() - 1;
                double[] approx = new double[s * d];
                double[] truth = new double[s * d];
                for (int o = 0; o < d; o++) {
                    for (int q = 0; q < s; q++) {
                        double v = 0;
                        for (int b = 0; b < m; b++) {
                            v += coef[i][(t * d + o) * m + b] * phi[q * m + b];
                        }
                        approx[q * d + o] = v;
                        truth[q * d + o] = p.values()[(t * d + o) * s + q];
                    }
                }
                int k = from + i;
                learned[k] = ErrorMetrics.of(approx, truth).relL2();
                fixed[k] = p.errors()[t * 6 + 2];
                oracle[k] = p.errors()[t * 6 + 4];
                if (learned[k] < fixed[k]) {
                    better++;
                }
            }
        }
        double mf = median(fixed);
        double ml = median(learned);
        double mo = median(oracle);
        return new HeldOutEvaluation(all.size(), mf, ml, mo, (mf - ml) / (mf - mo), (double) better / all.size());
    }

    static double median(double[] v) {
        double[] c = v.clone();
        Arrays.sort(c);
        int n = c.length;
        return n % 2 == 1 ? c[n / 2] : 0.5 * (c[n / 2 - 1] + c[n / 2]);
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT,
                "programs %d  median rel L2: fixed %.6g  learned %.6g  oracle %.6g  gap closed %.1f%%  learned better on %.1f%%",
                programs, medianFixed, medianLearned, medianOracle, 100 * gapClosed, 100 * fractionBetter);
    }
}
