package org.vtm.interpreter.engine;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.vtm.interpreter.InterpreterModel;
import org.vtm.interpreter.ModelConfig;
import org.vtm.interpreter.TrainerConfig;
import org.vtm.interpreter.TrainingEngine;

/**
 * {@code vtm train --engine layers}: the Trainer's steps and losses on a {@link Network} (float64 or float32) with
 * {@link Adam} ({@link TrainingStep#fit} equals {@code Trainer.fit} step for step), exchanging parameters and
 * Adam state under the SameDiff graph's names, so its model files and checkpoints are the graph's.
 */
public final class LayerTrainingEngine implements TrainingEngine {
    private final Network net;
    private final Adam adam;

    LayerTrainingEngine(Network net, double learningRate) {
        this.net = net;
        this.adam = new Adam(net.parameterSet(), learningRate);
    }

    /** Registered in {@code META-INF/services}: makes {@link TrainerConfig.Engine#LAYERS}. */
    public static final class Provider implements TrainingEngine.Provider {
        @Override
        public TrainerConfig.Engine engine() {
            return TrainerConfig.Engine.LAYERS;
        }

        @Override
        public TrainingEngine create(ModelConfig model, double[] tfx, double[][] samplePoints, long seed,
                double learningRate, TrainerConfig.Precision dtype) {
            Network net = Network.create(model, tfx, InterpreterModel.designMatrix(model, samplePoints),
                    InterpreterModel.initialQ(model, samplePoints), InterpreterModel.tailProjection(model, samplePoints), seed,
                    dtype.dataType());
            return new LayerTrainingEngine(net, learningRate);
        }
    }

    @Override
    public double fit(Map<String, INDArray> batch, double clipNorm, double lrScale) {
        return TrainingStep.fit(net, adam, batch, clipNorm, lrScale);
    }

    @Override
    public double loss(Map<String, INDArray> batch) {
        return net.loss(batch);
    }

    @Override
    public void lossEpsilon(double eps) {
        net.lossEpsilon(eps);
    }

    @Override
    public INDArray coefficients(Map<String, INDArray> inputs) {
        return net.coefficients(inputs);
    }

    @Override
    public long adamStep() {
        return adam.step();
    }

    @Override
    public Map<String, INDArray> state() {
        return net.state();
    }

    @Override
    public Map<String, INDArray> adamState() {
        return adam.export();
    }

    @Override
    public void restoreParameters(Map<String, INDArray> saved) {
        net.restore(saved);
    }

    @Override
    public void restoreAdam(Map<String, INDArray> saved) {
        adam.restore(saved);
    }
}
