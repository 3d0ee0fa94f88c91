package org.vtm.spark;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The spark-jobs module (and so its application jar, which shades a subset of its class path)
 * carries no DL4J or ND4J: the interpreter's engine ships only in the evaluation module's
 * application jar, which {@code vtm experiment} gives a cluster's executors. Fails as soon as a
 * dependency brings them onto this module's class path.
 */
@Timeout(value = 1, unit = TimeUnit.MINUTES)
class NoDl4jTest {

    @Test
    void neitherNd4jNorDl4jIsOnTheClassPath() {
        ClassLoader cl = NoDl4jTest.class.getClassLoader();
        for (String name : new String[] {"org.nd4j.linalg.factory.Nd4j", "org.deeplearning4j.nn.conf.NeuralNetConfiguration",
            "org.nd4j.autodiff.samediff.SameDiff", "org.bytedeco.javacpp.Loader", "org.vtm.interpreter.Trainer"}) {
            assertThrows(ClassNotFoundException.class, () -> Class.forName(name, false, cl), name + " is on spark-jobs' class path");
        }
    }
}
