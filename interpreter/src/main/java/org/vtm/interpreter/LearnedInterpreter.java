package org.vtm.interpreter;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.vtm.interpreter.train.AdamState;
import org.vtm.interpreter.train.ModelDescription;
import org.vtm.interpreter.train.ModelFormatException;
import org.vtm.interpreter.train.ParameterFile;
import org.vtm.transforms.Oracle;
import org.vtm.transforms.FunctionFamily;
import org.vtm.transforms.FunctionSeries;
import org.vtm.transforms.FunctionSet;
import org.vtm.transforms.Program;

/**
 * A trained interpreter used as a library: the learned counterpart of
 * {@code BasisTransform.of(set).apply(Expander.expand(program, point, n), radius)}. Both return a
 * {@link FunctionSeries} in the same {@link FunctionSet}, so learned and fixed results are
 * interchangeable.
 *
 * <pre>{@code
 * LearnedInterpreter li = LearnedInterpreter.load(Path.of("model"));
 * FunctionSeries fs = li.transform(Program.parse("..."), new double[] {0.3, -0.2}, 0.25);
 * double[] y = fs.evaluate(new double[] {0.5, 0.5});   // scaled coordinates u in [-1,1]^d
 * }</pre>
 *
 * <p>Predictions run on the layer engine ({@link TrainerConfig.Engine#LAYERS}) in float64, whatever precision the
 * model was trained in: a float32 model's parameters are exact in float64, and the evaluation compares the
 * predictions with the oracle at relative errors down to ~1e-5, where float32 arithmetic (unit round-off 6e-8,
 * grown through the LSTM, the transform {@code T·a} of coefficients spanning several magnitudes and the sums at the
 * sample points) would add error of its own to the model's. The engine's coefficients equal the SameDiff graph's to
 * rounding (LearnedInterpreterEngineTest: ≤ 1e-12 relative).
 *
 * <p>Not thread-safe (the engine's buffers are reused between calls); use one instance per thread.
 */
public final class LearnedInterpreter {
    private final ModelConfig config;
    private final TrainingEngine engine;
    private final FunctionSet set;
    private final ModelDescription description;

    private LearnedInterpreter(ModelConfig config, TrainingEngine engine, ModelDescription description) {
        this.config = config;
        this.engine = engine;
        this.description = description;
        this.set = FunctionSet.of(FunctionFamily.byName(config.family()), config.dim(), config.order());
    }

    /** Loads a model directory, checking its T_FX against the one computed now. */
    public static LearnedInterpreter load(Path dir) throws IOException {
        return load(dir, TfxSource.computed());
    }

    /**
     * Loads a finished model directory; {@code tfx} is where the T_FX to check against comes from.
     *
     * @throws ModelFormatException naming the directory or file: a missing directory or file, a
     *     truncated, altered or foreign file, a newer format, a model of another kind, a training run
     *     that did not finish (no {@code complete.json}: the message names {@code vtm train --resume}),
     *     a T_FX whose checksum differs from the one the model was trained with, or a model file whose
     *     base matrix differs from the description
     * @throws IOException if a file cannot be read at all
     */
    public static LearnedInterpreter load(Path dir, TfxSource tfx) throws IOException {
        ModelDescription desc = ModelDescription.read(dir);
        Path descFile = dir.resolve(ModelDescription.FILE_NAME);
        if (!ModelDirectory.KIND.equals(desc.kind())) {
            throw new ModelFormatException(descFile + ": kind is '" + desc.kind() + "', expected " + ModelDirectory.KIND);
        }
        ModelDirectory.requireFinished(dir, desc);
        ModelConfig config = ModelConfig.readFrom(desc.properties(), descFile);
        String recorded = desc.requireText("tfx_sha256", descFile);
        double[] tfxMatrix;
        try {
            tfxMatrix = tfx.tfx(config.family(), config.dim(), config.order());
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(descFile + ": cannot obtain T_FX for " + config.family() + " d=" + config.dim()
                    + " n=" + config.order() + ": " + e.getMessage(), e);
        }
        String now = TfxSource.checksum(tfxMatrix);
        if (!recorded.equals(now)) {
            throw new ModelFormatException(descFile + ": T_FX mismatch: the model was trained with T_FX sha256 " + recorded
                    + ", but T_FX (" + tfx.describe() + ") for " + config.family() + " d=" + config.dim() + " n="
                    + config.order() + " has sha256 " + now);
        }
        Path modelFile = dir.resolve(ModelDirectory.MODEL_FILE);
        Map<String, INDArray> saved = ParameterFile.read(modelFile);
        Oracle oracle = Oracle.of(FunctionSet.of(FunctionFamily.byName(config.family()), config.dim(), config.order()));
        double[] u = oracle.points();
        double[][] pts = new double[oracle.pointCount()][config.dim()];
        for (int s = 0; s < pts.length; s++) {
            System.arraycopy(u, s * config.dim(), pts[s], 0, config.dim());
        }
        TrainingEngine engine = TrainingEngine.provider(TrainerConfig.Engine.LAYERS).create(config, tfxMatrix, pts,
                desc.seed(), 1e-3, TrainerConfig.Precision.FLOAT64);
        try {
            engine.restoreParameters(saved);
        } catch (IllegalArgumentException e) {
            throw new ModelFormatException(modelFile + ": corrupt or of another model: " + e.getMessage(), e);
        }
        if (config.head() != ModelConfig.Head.DIRECT) {
            String t0Sha = TfxSource.checksum(saved.get(InterpreterModel.T0).dup('c').data().asDouble());
            String expected = desc.requireText("t0_sha256", descFile);
            if (!expected.equals(t0Sha)) {
                throw new ModelFormatException(modelFile + ": base transform T_0 has sha256 " + t0Sha + ", " + descFile
                        + " says " + expected + " (the files do not belong together)");
            }
        }
        if (config.head() == ModelConfig.Head.TAIL) {
            // Q* is the one stored with the model (restored above over the engine's own fit at the oracle points)
            String qSha = TfxSource.checksum(saved.get(InterpreterModel.TAIL_Q).dup('c').data().asDouble());
            String expected = desc.requireText(TAIL_Q_SHA256, descFile);
            if (!expected.equals(qSha)) {
                throw new ModelFormatException(modelFile + ": the tail head's Q* has sha256 " + qSha + ", " + descFile
                        + " says " + expected + " (the files do not belong together)");
            }
        }
        Trainer.recordedDtype(desc, descFile); // refuses an unknown precision, naming the file
        return new LearnedInterpreter(config, engine, desc);
    }

    /** Property of model.json: the SHA-256 of a tail head's {@code Q*} ({@link InterpreterModel#TAIL_Q}). */
    public static final String TAIL_Q_SHA256 = "tail_q_sha256";

    /** Builds an interpreter around a SameDiff graph already in memory (tests, benchmarks). */
    static LearnedInterpreter of(ModelConfig config, SameDiff sd) {
        return new LearnedInterpreter(config, new Trainer.GraphEngine(sd, new AdamState(1e-3)), null);
    }

    /** Builds an interpreter around an engine already in memory (tests, benchmarks). */
    static LearnedInterpreter of(ModelConfig config, TrainingEngine engine) {
        return new LearnedInterpreter(config, engine, null);
    }

    public ModelConfig config() {
        return config;
    }

    public FunctionSet functionSet() {
        return set;
    }

    /** The model's description ({@code model.json}); null for an in-memory model. */
    public ModelDescription description() {
        return description;
    }

    /** The learned coefficients of {@code program} in F over {@code point + radius·[-1,1]^d}. */
    public FunctionSeries transform(Program program, double[] point, double radius) {
        return transform(List.of(program), new double[][] {point}, new double[] {radius})[0];
    }

    /** {@link #transform(Program, double[], double)} for many inputs in one batch. */
    public FunctionSeries[] transform(List<Program> programs, double[][] points, double[] radii) {
        if (programs.size() != points.length || points.length != radii.length) {
            throw new IllegalArgumentException("batch sizes differ: " + programs.size() + " programs, " + points.length
                    + " points, " + radii.length + " radii");
        }
        List<StepDataset.Sample> samples = new ArrayList<>();
        for (int i = 0; i < points.length; i++) {
            if (points[i].length != config.dim()) {
                throw new IllegalArgumentException("point " + i + " has " + points[i].length + " coordinates, the model has d = "
                        + config.dim());
            }
            StepInputs in = StepInputs.of(programs.get(i), points[i], radii[i], config.order());
            if (in.steps() > config.maxSteps()) {
                throw new IllegalArgumentException("program " + i + " has " + in.steps() + " steps; this model handles at most "
                        + config.maxSteps());
            }
            samples.add(withNext(sample(in, radii[i]), programs.get(i), points[i], radii[i]));
        }
        return predict(samples, points, radii);
    }

    /** Prefix coefficients: {@code [t]} is the series of {@code p_t∘…∘p_0} (for evaluation). */
    public FunctionSeries[] transformPrefixes(Program program, double[] point, double radius) {
        StepInputs in = StepInputs.of(program, point, radius, config.order());
        StepDataset.Sample s = withNext(sample(in, radius), program, point, radius);
        double[][] c = coefficients(List.of(s), config.maxSteps());
        FunctionSeries[] out = new FunctionSeries[in.steps()];
        int dm = config.dim() * config.terms();
        for (int t = 0; t < out.length; t++) {
            double[] row = java.util.Arrays.copyOfRange(c[0], t * dm, (t + 1) * dm);
            out[t] = FunctionSeries.of(set, FunctionSeries.Origin.LEARNED, point, radius, config.dim(), row);
        }
        return out;
    }

    FunctionSeries[] predict(List<StepDataset.Sample> samples, double[][] points, double[] radii) {
        int tPad = ModelInputs.maxSteps(samples);
        double[][] c = coefficients(samples, tPad);
        int dm = config.dim() * config.terms();
        FunctionSeries[] out = new FunctionSeries[samples.size()];
        for (int i = 0; i < out.length; i++) {
            int last = samples.get(i).steps() - 1;
            double[] row = java.util.Arrays.copyOfRange(c[i], last * dm, (last + 1) * dm);
            out[i] = FunctionSeries.of(set, FunctionSeries.Origin.LEARNED, points[i], radii[i], config.dim(), row);
        }
        return out;
    }

    /** Coefficients {@code [b][t·d·M]} for every padded step. */
    double[][] coefficients(List<StepDataset.Sample> samples, int tPad) {
        Map<String, INDArray> in = ModelInputs.inputs(config, samples, tPad);
        INDArray c = engine.coefficients(in);
        double[] flat = c.castTo(DataType.DOUBLE).dup('c').data().asDouble();
        int width = tPad * config.dim() * config.terms();
        double[][] out = new double[samples.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = java.util.Arrays.copyOfRange(flat, i * width, (i + 1) * width);
        }
        return out;
    }

    /** The sample with what the inputs need beyond {@code a_t}: the degree-(n+1) terms, the program's syntax. */
    private StepDataset.Sample withNext(StepDataset.Sample s, Program program, double[] point, double radius) {
        StepDataset.Sample out = config.inputs() == ModelConfig.Inputs.NEXT_ORDER
                ? s.withNext(StepInputs.nextOrderTerms(program, point, radius, config.order())) : s;
        return config.structure() ? out.withSyntax(ProgramSyntax.table(program)) : out;
    }

    private static StepDataset.Sample sample(StepInputs in, double radius) {
        int k = in.steps();
        int d = in.stepPoints()[0].length;
        int dm = in.prefixExpansion()[0].length;
        double[] points = new double[k * d];
        double[] prefix = new double[k * dm];
        for (int t = 0; t < k; t++) {
            System.arraycopy(in.stepPoints()[t], 0, points, t * d, d);
            System.arraycopy(in.prefixExpansion()[t], 0, prefix, t * dm, dm);
        }
        return new StepDataset.Sample(-1, k, radius, points, prefix, new double[0], new double[0]);
    }
}
