package org.vtm.interpreter.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The floor ε of the log loss (issue 16, {@code --loss-eps}): the loss is {@code Σ_n mask_n·log(ε + e_n)} with the
 * given ε, so a program whose squared relative error is far below ε is invisible to the default floor and visible to
 * a smaller one.
 */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class LossFloorTest {
    /** One row: values {@code 1 + δ} against truth 1 at one point, weight 1, so e = δ². */
    private static double loss(LossLayer layer, double delta) {
        INDArray v = Nd4j.create(new double[] {1 + delta}, new long[] {1, 1, 1}, DataType.DOUBLE);
        INDArray y = Nd4j.create(new double[] {1}, new long[] {1, 1, 1}, DataType.DOUBLE);
        INDArray w = Nd4j.ones(DataType.DOUBLE, 1);
        INDArray mask = Nd4j.ones(DataType.DOUBLE, 1);
        return layer.forward(v, y, w, mask);
    }

    @Test
    void theLossIsTheLogOfFloorPlusSquaredError() {
        for (double eps : new double[] {1e-10, 1e-24, 0.5}) {
            LossLayer layer = LossLayer.logRelative(DataType.DOUBLE, eps);
            double delta = 1e-3;
            double e = ((1 + delta) - 1) * ((1 + delta) - 1); // as the layer rounds it
            assertEquals(Math.log(eps + e), loss(layer, delta), 1e-12, "ε = " + eps);
            assertEquals(eps, layer.epsilon());
        }
    }

    @Test
    void aProgramFarBelowTheDefaultFloorIsInvisibleToItAndVisibleToASmallerOne() {
        // relative errors 1e-7 and 1e-8: e = 1e-14 and 1e-16, both far below the default 1e-10
        LossLayer coarse = LossLayer.logRelative(DataType.DOUBLE);
        LossLayer fine = LossLayer.logRelative(DataType.DOUBLE, 1e-24);
        double coarseGap = loss(coarse, 1e-7) - loss(coarse, 1e-8);
        double fineGap = loss(fine, 1e-7) - loss(fine, 1e-8);
        assertTrue(coarseGap < 1e-3, "the default floor hides a tenfold change of a 1e-7 error: " + coarseGap);
        assertEquals(Math.log(100), fineGap, 1e-3, "ε = 1e-24 sees it as the factor 100 of e");
    }

    @Test
    void aFloorThatIsNotPositiveAndFiniteIsRefused() {
        for (double eps : new double[] {0, -1e-10, Double.NaN, Double.POSITIVE_INFINITY}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> LossLayer.logRelative(DataType.DOUBLE, eps));
            assertTrue(e.getMessage().contains("ε"), e.getMessage());
        }
    }
}
