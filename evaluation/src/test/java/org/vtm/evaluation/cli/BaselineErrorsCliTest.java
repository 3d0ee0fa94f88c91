package org.vtm.evaluation.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.vtm.datagen.CorpusFilter;
import org.vtm.datagen.CorpusLayout;
import org.vtm.datagen.CorpusReader;
import org.vtm.datagen.CorpusRecord;
import org.vtm.datagen.baseline.LinearBaseline;
import org.vtm.transforms.FunctionFamily;
import org.vtm.transforms.FunctionSet;
import org.vtm.transforms.Program;
import org.vtm.interpreter.StepInputs;

/**
 * {@code vtm baseline} reports the baseline's training and held-out errors through the one
 * held-out evaluator; the printed medians equal an independent computation from the sample values
 * and the function set (moved here from the spark-jobs test with the report itself).
 */
@Timeout(300)
class BaselineErrorsCliTest {

    @Test
    void baselineReportsTrainingAndHeldOutErrorsOfTheEvaluator(@TempDir Path tmp) throws Exception {
        fitAndCheck(tmp, false);
    }

    /**
     * {@code --next-order}: the model is fitted with a+ (recorded in its file, said on the fitted
     * line), and the evaluator applies it with the same a+ — its medians equal an independent
     * computation that takes a+ from the interpreter's {@code StepInputs.nextOrderTerms}.
     */
    @Test
    void baselineWithNextOrderIsFedAPlusAndTheEvaluatorAppliesItWithTheSameTerms(@TempDir Path tmp) throws Exception {
        fitAndCheck(tmp, true);
    }

    private static void fitAndCheck(Path tmp, boolean nextOrder) throws Exception {
        Path train = tmp.resolve("train");
        Path held = tmp.resolve("held");
        Path out = tmp.resolve("model");
        VtmMainTest.Run g1 = VtmMainTest.run("generate", "--programs", "40", "--dim", "2", "--order", "2",
                "--family", "chebyshev", "--steps", "1..3", "--seed", "11", "--out", train.toString());
        assertEquals(0, g1.code(), g1.err());
        VtmMainTest.Run g2 = VtmMainTest.run("generate", "--programs", "12", "--dim", "2", "--order", "2",
                "--family", "chebyshev", "--steps", "1..3", "--seed", "12", "--out", held.toString());
        assertEquals(0, g2.code(), g2.err());
        List<String> args = new ArrayList<>(List.of("baseline", "--corpus", train.toString(), "--out", out.toString(),
                "--holdout", held.toString(), "--reg-params", "1e-4", "--elastic-net-params", "0", "--cv-outputs", "0",
                "--master", "local[1]"));
        if (nextOrder) {
            args.add("--next-order");
        }
        VtmMainTest.Run r = VtmMainTest.run(args.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        LinearBaseline model = org.vtm.datagen.baseline.LinearBaselineFile.read(out);
        assertEquals(nextOrder, model.nextOrder());
        assertEquals(nextOrder, r.out().contains("features, with a+)"), r.out());
        for (String[] what : new String[][] {{"training", train.toString()}, {"held-out", held.toString()}}) {
            double[] m = independentMedians(model, Path.of(what[1]));
            String line = r.out().lines().filter(l -> l.startsWith(what[0] + " median rel L2")).findFirst().orElse("");
            assertTrue(line.contains(String.format(Locale.ROOT, "over %d prefixes: fixed=%.4g baseline=%.4g oracle=%.4g",
                    (long) m[3], m[0], m[1], m[2])), "'" + what[0] + "' line " + line + " vs independent " + Arrays.toString(m)
                    + " in\n" + r.out());
        }
    }

    /** Medians of fixed, baseline and oracle relative L2 errors over every prefix, and the prefix count. */
    private static double[] independentMedians(LinearBaseline model, Path corpus) throws Exception {
        CorpusReader reader = CorpusReader.open(corpus);
        CorpusLayout layout = reader.layout();
        FunctionSet set = FunctionSet.of(FunctionFamily.byName(layout.family()), layout.dim(), layout.order());
        double[][] u = layout.samplePoints();
        int d = layout.dim();
        int m = layout.terms();
        List<double[]> errors = new ArrayList<>();
        for (CorpusRecord r : reader.records(CorpusFilter.ALL)) {
            int k = model.nextTerms();
            double[] next = model.nextOrder()
                    ? StepInputs.nextOrderTerms(Program.parse(r.program()), r.point(), r.radius(), r.order()) : null;
            for (int t = 0; t < r.steps(); t++) {
                double[] corrected = model.predictCorrection(r.point(), r.stepPoints()[t], r.radius(), r.prefixExpansion()[t],
                        next == null ? null : Arrays.copyOfRange(next, t * d * k, (t + 1) * d * k), t);
                for (int j = 0; j < corrected.length; j++) {
                    corrected[j] += r.fixedCoefficients()[t][j];
                }
                double[][] coefs = {r.fixedCoefficients()[t], corrected, r.oracleCoefficients()[t]};
                double[] e = new double[3];
                for (int c = 0; c < 3; c++) {
                    double err2 = 0;
                    double true2 = 0;
                    for (int s = 0; s < u.length; s++) {
                        for (int o = 0; o < d; o++) {
                            double v = 0;
                            for (int j = 0; j < m; j++) {
                                v += coefs[c][o * m + j] * set.evaluate(j, u[s]);
                            }
                            double tv = r.sampleValues()[t][s * d + o];
                            err2 += (v - tv) * (v - tv);
                            true2 += tv * tv;
                        }
                    }
                    e[c] = Math.sqrt(err2 / true2);
                }
                errors.add(e);
            }
        }
        double[] out = new double[4];
        for (int c = 0; c < 3; c++) {
            final int col = c;
            double[] v = errors.stream().mapToDouble(e -> e[col]).sorted().toArray();
            out[c] = v.length % 2 == 1 ? v[v.length / 2] : 0.5 * (v[v.length / 2 - 1] + v[v.length / 2]);
        }
        out[3] = errors.size();
        return out;
    }
}
