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
 * @param medianNextOrderProjection for a {@link ModelConfig.Inputs#NEXT_ORDER} model, the median error of the
 *     non-learned use of the same information: {@code T_FX·a + Q*·a⁺} with {@code Q*} the least-squares
 *     projection of the degree-(n+1) monomials onto F at the sample points (NaN for other models)
 */
public record HeldOutEvaluation(int programs, double medianFixed, double medianLearned, double medianOracle,
        double gapClosed, double fractionBetter, double medianNextOrderProjection) {

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
        boolean next = c.inputs() == ModelConfig.Inputs.NEXT_ORDER;
        double[] projected = next ? new double[all.size()] : null;
        double[] qStar = next ? projection(phi, s, m, data.layout().samplePoints(), c) : null;
        double[] tfx = next ? TfxSource.computed().tfx(c.family(), d, c.order()) : null;
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
                if (next) {
                    projected[k] = projectedError(p, t, tfx, qStar, phi, c, s);
                }
                if (learned[k] < fixed[k]) {
                    better++;
                }
            }
        }
        double mf = median(fixed);
        double ml = median(learned);
        double mo = median(oracle);
        return new HeldOutEvaluation(all.size(), mf, ml, mo, (mf - ml) / (mf - mo), (double) better / all.size(),
                next ? median(projected) : Double.NaN);
    }

    /** {@code Q*} ({@code K×M}): least-squares F-coefficients of each degree-(n+1) monomial at the sample points. */
    static double[] projection(double[] phi, int s, int m, double[][] points, ModelConfig c) {
        org.vtm.transforms.MultiIndexSet up = org.vtm.transforms.MultiIndexSet.of(c.dim(), c.order() + 1);
        int k = c.nextTerms();
        double[] ata = new double[m * m];
        for (int q = 0; q < s; q++) {
            for (int i = 0; i < m; i++) {
                for (int j = 0; j < m; j++) {
                    ata[i * m + j] += phi[q * m + i] * phi[q * m + j];
                }
            }
        }
        double[] out = new double[k * m];
        for (int j = 0; j < k; j++) {
            int[] alpha = up.alpha(m + j);
            double[] atb = new double[m];
            for (int q = 0; q < s; q++) {
                double mono = 1;
                for (int v = 0; v < alpha.length; v++) {
                    mono *= Math.pow(points[q][v], alpha[v]);
                }
                for (int i = 0; i < m; i++) {
                    atb[i] += phi[q * m + i] * mono;
                }
            }
            System.arraycopy(solve(ata.clone(), atb, m), 0, out, j * m, m);
        }
        return out;
    }

    private static double projectedError(StepDataset.Sample p, int t, double[] tfx, double[] qStar, double[] phi,
            ModelConfig c, int s) {
        int d = c.dim();
        int m = c.terms();
        int k = c.nextTerms();
        double[] approx = new double[s * d];
        double[] truth = new double[s * d];
        for (int o = 0; o < d; o++) {
            double[] coef = new double[m];
            for (int b = 0; b < m; b++) {
                double v = 0;
                for (int a = 0; a < m; a++) {
                    v += tfx[b * m + a] * p.prefix()[(t * d + o) * m + a];
                }
                for (int j = 0; j < k; j++) {
                    v += qStar[j * m + b] * p.next()[(t * d + o) * k + j];
                }
                coef[b] = v;
            }
            for (int q = 0; q < s; q++) {
                double v = 0;
                for (int b = 0; b < m; b++) {
                    v += coef[b] * phi[q * m + b];
                }
                approx[q * d + o] = v;
                truth[q * d + o] = p.values()[(t * d + o) * s + q];
            }
        }
        return ErrorMetrics.of(approx, truth).relL2();
    }

    /** Gaussian elimination with partial pivoting (small dense systems). */
    private static double[] solve(double[] a, double[] b, int n) {
        for (int col = 0; col < n; col++) {
            int piv = col;
            for (int r = col + 1; r < n; r++) {
                if (Math.abs(a[r * n + col]) > Math.abs(a[piv * n + col])) {
                    piv = r;
                }
            }
            for (int j = 0; j < n; j++) {
                double tmp = a[col * n + j];
                a[col * n + j] = a[piv * n + j];
                a[piv * n + j] = tmp;
            }
            double tb = b[col];
            b[col] = b[piv];
            b[piv] = tb;
            for (int r = col + 1; r < n; r++) {
                double f = a[r * n + col] / a[col * n + col];
                for (int j = col; j < n; j++) {
                    a[r * n + j] -= f * a[col * n + j];
                }
                b[r] -= f * b[col];
            }
        }
        double[] x = new double[n];
        for (int r = n - 1; r >= 0; r--) {
            double v = b[r];
            for (int j = r + 1; j < n; j++) {
                v -= a[r * n + j] * x[j];
            }
            x[r] = v / a[r * n + r];
        }
        return x;
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
                programs, medianFixed, medianLearned, medianOracle, 100 * gapClosed, 100 * fractionBetter)
                + (Double.isNaN(medianNextOrderProjection) ? "" : String.format(java.util.Locale.ROOT,
                        "  (non-learned T_FX·a + Q*·a⁺ with the same degree-%s terms: %.6g)", "(n+1)",
                        medianNextOrderProjection));
    }
}
