package org.vtm.evaluation.heldout;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.vtm.datagen.CorpusRecord;
import org.vtm.datagen.ErrorColumn;
import org.vtm.interpreter.LearnedInterpreter;
import org.vtm.interpreter.ModelConfig;
import org.vtm.interpreter.NextOrderProjection;
import org.vtm.interpreter.StepInputs;
import org.vtm.interpreter.TfxSource;
import org.vtm.transforms.Program;

/**
 * Learned vs fixed vs oracle on a corpus of programs the model has not seen ({@code vtm
 * evaluate-model}): the relative L2 error of each whole program (its last prefix) at the corpus'
 * sample points, by {@link HeldOutEvaluator}. Fixed and oracle errors are the corpus' own; learned
 * errors come from the model's coefficients. Programs longer than the model's step encoding are not
 * compared (and are counted).
 *
 * @param programs programs compared
 * @param medianFixed median relative L2 error of the fixed T_FX series
 * @param medianLearned median relative L2 error of the learned series
 * @param medianOracle median relative L2 error of the least-squares oracle
 * @param gapClosed {@code (medianFixed − medianLearned) / (medianFixed − medianOracle)}
 * @param fractionBetter fraction of programs where learned beats fixed
 * @param medianNextOrderProjection for a {@link ModelConfig.Inputs#NEXT_ORDER} model, the median error of the
 *     non-learned use of the same information: {@code T_FX·a + Q*·a⁺} with {@code Q*} the
 *     {@link NextOrderProjection} at the sample points (NaN for other models)
 * @param beyondStepEncoding programs not compared because they are longer than the model's step encoding
 */
public record ModelComparison(int programs, double medianFixed, double medianLearned, double medianOracle,
        double gapClosed, double fractionBetter, double medianNextOrderProjection, int beyondStepEncoding) {

    /** The learned model's name among the evaluator's methods. */
    public static final String LEARNED = "learned";
    /** The non-learned next-order projection's name among the evaluator's methods. */
    public static final String PROJECTION = "next_order_projection";

    /** Compares {@code model} with the fixed transform and the oracle on every program of {@code corpus}. */
    public static ModelComparison of(LearnedInterpreter model, Path corpus) throws IOException {
        HeldOutEvaluator ev = HeldOutEvaluator.open(corpus)
                .corpusColumn(HeldOutEvaluator.FIXED, ErrorColumn.FIXED_REL_L2)
                .learned(LEARNED, model)
                .corpusColumn(HeldOutEvaluator.ORACLE, ErrorColumn.ORACLE_REL_L2);
        ModelConfig c = model.config();
        boolean next = c.inputs() == ModelConfig.Inputs.NEXT_ORDER;
        if (next) {
            NextOrderProjection q = NextOrderProjection.fit(ev.functionSet(), ev.layout().samplePoints());
            double[] tfx = TfxSource.computed().tfx(c.family(), c.dim(), c.order());
            ev.coefficients(PROJECTION, (r, t) -> q.coefficients(tfx, r.prefixExpansion()[t], nextTerms(r, t, c.order())));
        }
        HeldOutEvaluator.Errors e = ev.evaluate(HeldOutEvaluator.Scope.PROGRAMS, null);
        List<HeldOutEvaluator.Row> rows = e.scoredBy(LEARNED);
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("corpus " + corpus + " has no program within the model's step encoding ("
                    + c.maxSteps() + " steps)");
        }
        double mf = e.median(HeldOutEvaluator.FIXED, rows);
        double ml = e.median(LEARNED, rows);
        double mo = e.median(HeldOutEvaluator.ORACLE, rows);
        return new ModelComparison(rows.size(), mf, ml, mo, (mf - ml) / (mf - mo),
                (double) e.better(LEARNED, HeldOutEvaluator.FIXED, rows) / rows.size(),
                next ? e.median(PROJECTION, rows) : Double.NaN, e.unscored().get(LEARNED));
    }

    /** {@code a⁺} of prefix {@code t}: its {@code d·K} degree-(n+1) scaled terms, output-major. */
    private static double[] nextTerms(CorpusRecord r, int t, int order) {
        double[] all = StepInputs.nextOrderTerms(Program.parse(r.program()), r.point(), r.radius(), order);
        int width = all.length / r.steps();
        return java.util.Arrays.copyOfRange(all, t * width, (t + 1) * width);
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT,
                "programs %d  median rel L2: fixed %.6g  learned %.6g  oracle %.6g  gap closed %.1f%%  learned better on %.1f%%",
                programs, medianFixed, medianLearned, medianOracle, 100 * gapClosed, 100 * fractionBetter)
                + (Double.isNaN(medianNextOrderProjection) ? "" : String.format(Locale.ROOT,
                        "  (non-learned T_FX·a + Q*·a⁺ with the same degree-%s terms: %.6g)", "(n+1)",
                        medianNextOrderProjection))
                + (beyondStepEncoding == 0 ? "" : String.format(Locale.ROOT,
                        "  (%d longer programs beyond the step encoding not compared)", beyondStepEncoding));
    }
}
