package org.vtm.datagen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.vtm.transforms.Expander;
import org.vtm.transforms.Program;
import org.vtm.transforms.TensorSeries;

/**
 * The corpus's region check on the programs the corpus draws at d = 8, n = 4: it must accept and
 * reject exactly what expanding every point and looking at every coefficient does (the check expands
 * groups of outputs on their own variables; which draws are rejected decides every record).
 */
@Timeout(120)
class CorpusRegionCheckTest {

    @Test
    void drawnProgramsAtDimensionEightGetTheFullExpansionsAnswer() {
        GeneratorConfig config = GeneratorConfig.defaults(8, 4, "chebyshev", 1, 3);
        ProgramGenerator programs = new ProgramGenerator(config);
        SplittableRandom random = new SplittableRandom(18);
        int accepted = 0;
        int rejected = 0;
        for (int i = 0; i < 60; i++) {
            Program program = programs.draw(random);
            double radius = random.nextDouble(0.1, 0.5);
            double[][] pts = new double[24][8];
            double[] centre = new double[8];
            for (int l = 0; l < 8; l++) {
                centre[l] = random.nextDouble(-2, 2);
            }
            for (double[] p : pts) {
                for (int l = 0; l < 8; l++) {
                    p[l] = centre[l] + radius * random.nextDouble(-1, 1);
                }
            }
            // the configuration's limit and a tight one, so both answers occur
            for (double limit : new double[] {config.maxAbs(), 50.0}) {
                boolean expected = true;
                for (TensorSeries s : Expander.expand(program, pts, 4)) {
                    for (double c : s.coefficients()) {
                        expected &= Math.abs(c) <= limit;
                    }
                }
                assertEquals(expected, Expander.allCoefficientsWithin(program, pts, 4, limit),
                        () -> program.text() + " limit " + limit);
                if (expected) {
                    accepted++;
                } else {
                    rejected++;
                }
            }
        }
        assertTrue(accepted > 10 && rejected > 10, "accepted " + accepted + ", rejected " + rejected);
    }
}
