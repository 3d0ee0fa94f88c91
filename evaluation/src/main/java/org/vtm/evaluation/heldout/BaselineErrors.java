package org.vtm.evaluation.heldout;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import org.vtm.datagen.CorpusReader;
import org.vtm.datagen.CorpusRecord;
import org.vtm.datagen.ErrorColumn;
import org.vtm.datagen.baseline.LinearBaseline;

/**
 * The linear baseline's errors on a corpus, as {@code vtm baseline} reports them: median relative
 * L2 error of fixed {@code T_FX}, the corrected (baseline) and the oracle coefficients over every
 * prefix of every program, by {@link HeldOutEvaluator}.
 *
 * @param prefixes prefixes scored
 * @param medianFixed median error of the fixed coefficients
 * @param medianBaseline median error of the baseline's corrected coefficients
 * @param medianOracle median error of the oracle coefficients
 * @param baselineBetter prefixes where the baseline beats fixed
 */
public record BaselineErrors(long prefixes, double medianFixed, double medianBaseline, double medianOracle,
        long baselineBetter) {

    /** Scores {@code model} on every prefix of every record of {@code corpus}. */
    public static BaselineErrors of(LinearBaseline model, CorpusReader corpus) throws IOException {
        HeldOutEvaluator ev = HeldOutEvaluator.of(corpus);
        ev.requireCompatible("the baseline model", model.family(), model.dim(), model.order());
        HeldOutEvaluator.Errors e = ev.corpusColumn(HeldOutEvaluator.FIXED, ErrorColumn.FIXED_REL_L2)
                .coefficients(HeldOutEvaluator.BASELINE, method(model))
                .corpusColumn(HeldOutEvaluator.ORACLE, ErrorColumn.ORACLE_REL_L2)
                .evaluate(HeldOutEvaluator.Scope.PREFIXES, null);
        List<HeldOutEvaluator.Row> rows = e.rows();
        return new BaselineErrors(rows.size(), e.median(HeldOutEvaluator.FIXED, rows),
                e.median(HeldOutEvaluator.BASELINE, rows), e.median(HeldOutEvaluator.ORACLE, rows),
                e.better(HeldOutEvaluator.BASELINE, HeldOutEvaluator.FIXED, rows));
    }

    /**
     * {@code model} as a {@link HeldOutEvaluator.Coefficients} method, fed the features it was
     * fitted with: a model with next-order terms gets each prefix's {@code a⁺}
     * ({@link LinearBaseline#nextOrderTerms}, computed once per program).
     */
    public static HeldOutEvaluator.Coefficients method(LinearBaseline model) {
        if (!model.nextOrder()) {
            return model::correctedCoefficients;
        }
        return new HeldOutEvaluator.Coefficients() {
            private CorpusRecord last;
            private double[][] next;

            @Override
            public synchronized double[] of(CorpusRecord r, int t) {
                if (r != last) {
                    next = LinearBaseline.nextOrderTerms(r);
                    last = r;
                }
                return model.correctedCoefficients(r, t, next);
            }
        };
    }

    /** {@code vtm baseline}'s line for {@code what} ("training", "held-out"); a {@code BaselineCommand.ErrorReport}. */
    public static void report(PrintWriter out, String what, LinearBaseline model, CorpusReader corpus) throws IOException {
        BaselineErrors e = of(model, corpus);
        out.printf(Locale.ROOT, "%s median rel L2 over %d prefixes: fixed=%.4g baseline=%.4g oracle=%.4g (baseline better "
                + "than fixed on %.1f%%)%n", what, e.prefixes(), e.medianFixed(), e.medianBaseline(), e.medianOracle(),
                100.0 * e.baselineBetter() / Math.max(1, e.prefixes()));
    }
}
