package org.vtm.interpreter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Upgrade guard for ND4J and DL4J: the native CPU backend loads, and a tiny LSTM learns a
 * sequence task (output at step t is the input at step t-1) so that its loss falls well below
 * the loss of the untrained network. Fails if the backend cannot load, or if training is broken.
 */
class Dl4jGuardTest {

    @Test
    void tinyLstmLossFalls() {
        assertEquals("CpuBackend", Nd4j.getBackend().getClass().getSimpleName(),
                "the ND4J backend in this module is the native CPU one");
        Nd4j.getRandom().setSeed(7);
        int batch = 16;
        int steps = 8;
        int features = 3;

        // one-hot inputs; the target at step t is the one-hot input at step t-1 (memory needed)
        INDArray input = Nd4j.zeros(DataType.FLOAT, batch, features, steps);
        INDArray label = Nd4j.zeros(DataType.FLOAT, batch, features, steps);
        java.util.SplittableRandom random = new java.util.SplittableRandom(11);
        for (int b = 0; b < batch; b++) {
            int previous = 0;
            for (int t = 0; t < steps; t++) {
                int symbol = random.nextInt(features);
                input.putScalar(new int[] {b, symbol, t}, 1.0);
                label.putScalar(new int[] {b, previous, t}, 1.0);
                previous = symbol;
            }
        }
        DataSet data = new DataSet(input, label);

        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder()
                .seed(7)
                .dataType(DataType.FLOAT)
                .updater(new Adam(0.05))
                .weightInit(WeightInit.XAVIER)
                .list()
                .layer(new LSTM.Builder().nIn(features).nOut(12).activation(Activation.TANH).build())
                .layer(new RnnOutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .activation(Activation.SOFTMAX).nIn(12).nOut(features).build())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();

        double before = net.score(data);
        for (int epoch = 0; epoch < 60; epoch++) {
            net.fit(data);
        }
        double after = net.score(data);
        // Chance level for 3 symbols is ln 3 ≈ 1.10 per step; the copy task is learnable, so a
        // working LSTM gets far below half of its initial loss within 60 full-batch Adam steps.
        assertTrue(Double.isFinite(after), "loss after training is " + after);
        assertTrue(after < 0.5 * before, "loss did not fall: before " + before + ", after " + after);
    }
}
