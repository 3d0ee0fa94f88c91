package org.vtm.interpreter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.vtm.datagen.CorpusGenerator;
import org.vtm.datagen.CorpusRecord;
import org.vtm.transforms.MultiIndexSet;
import org.vtm.transforms.Program;

/** {@link GrowthFeatures} against hand-computed values and its documented bounds. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GrowthFeaturesTest {
    static final double TOL = 1e-13;

    /**
     * 1/(1 − x/ρ) expanded at 0 over radius r has scaled coefficients q^k with q = r/ρ: every log-ratio is log q / 5,
     * the Padé estimate is q^{n+1}/‖a‖ and the radius estimate ρ/r (over the clip 10). Expanded by the Expander
     * (independent of the hand formula), so the test also fixes the scaled coordinates.
     */
    @Test
    void geometricSeriesHasConstantRatioAndItsRadius() {
        double rho = 2;
        double r = 0.5;
        int n = 4;
        double q = r / rho;
        double[] a = StepInputs.of(Program.parse("(x) -> (1 / (1 - x / 2))"), new double[] {0}, r, n).prefixExpansion()[0];
        double norm = 0;
        for (int k = 0; k <= n; k++) {
            assertEquals(Math.pow(q, k), a[k], 1e-15, "scaled coefficient " + k);
            norm += Math.pow(q, 2 * k);
        }
        norm = Math.sqrt(norm);
        double[] f = GrowthFeatures.of(a, 1, n);
        assertEquals(GrowthFeatures.perOutput(n), f.length);
        assertEquals(2 * n + 3, f.length);
        for (int k = 0; k <= n; k++) {
            assertEquals(Math.pow(q, k) / norm, f[k], TOL, "part norm " + k);
        }
        for (int k = 1; k <= n; k++) {
            assertEquals(Math.log(q) / 5, f[n + k], TOL, "log-ratio " + k);
        }
        assertEquals(Math.pow(q, n + 1) / norm, f[2 * n + 1], TOL, "Padé next-order estimate");
        assertEquals(rho / r / 10, f[2 * n + 2], TOL, "radius estimate ρ/r over the clip");
    }

    /** In two variables the homogeneous parts gather the terms of one degree: 1/(1 − (x+y)/ρ) has ‖a_k‖ = q^k·√C(2k,k). */
    @Test
    void partsCollectTheTermsOfEachDegree() {
        int n = 3;
        double q = 0.2;
        MultiIndexSet set = MultiIndexSet.of(2, n);
        double[] a = new double[set.size()];
        for (int i = 0; i < a.length; i++) {
            int[] alpha = set.alpha(i);
            int k = alpha[0] + alpha[1];
            a[i] = Math.pow(q, k) * binomial(k, alpha[0]);
        }
        double[] parts = new double[n + 1];
        double total = 0;
        for (int k = 0; k <= n; k++) {
            parts[k] = Math.pow(q, k) * Math.sqrt(binomial(2 * k, k));
            total += parts[k] * parts[k];
        }
        total = Math.sqrt(total);
        double[] f = GrowthFeatures.of(a, 2, n);
        for (int k = 0; k <= n; k++) {
            assertEquals(parts[k] / total, f[k], TOL, "part " + k);
        }
        for (int k = 1; k <= n; k++) {
            assertEquals(Math.log(parts[k] / parts[k - 1]) / 5, f[n + k], TOL, "log-ratio " + k);
        }
        assertEquals(parts[n] * parts[n] / (parts[n - 1] * total), f[2 * n + 1], TOL);
        assertEquals(parts[n - 1] / parts[n] / 10, f[2 * n + 2], TOL);
    }

    /** cos at 0 has zero odd parts: the floor keeps the log-ratios finite (±log(1e6)/5) and the radius clipped. */
    @Test
    void zeroPartsUseTheFloorAndStayBounded() {
        int n = 3;
        double[] a = StepInputs.of(Program.parse("(x) -> (cos(x))"), new double[] {0}, 0.5, n).prefixExpansion()[0];
        double[] f = GrowthFeatures.of(a, 1, n);
        double norm = Math.sqrt(1 + 0.125 * 0.125);
        double floor = 1e-6 * norm + 1e-300;
        assertEquals(0, f[1], 0);
        assertEquals(Math.log(floor / 1) / 5, f[n + 1], TOL);
        assertEquals(Math.log(0.125 / floor) / 5, f[n + 2], TOL);
        assertEquals(Math.log(floor / 0.125) / 5, f[n + 3], TOL);
        assertEquals(0, f[2 * n + 1], 0, "N_n = 0: no next-order growth");
        assertEquals(1, f[2 * n + 2], 0, "radius estimate at its clip");
        assertEquals(0, GrowthFeatures.of(new double[4], 1, 3)[2], 0, "a zero expansion has zero features");
        assertThrows(IllegalArgumentException.class, () -> GrowthFeatures.of(new double[1], 1, 0));
    }

    /** Over random programs every feature is finite and within its documented range. */
    @Test
    void featuresOfRandomProgramsAreBounded() {
        int n = 3;
        CorpusGenerator g = TestCorpora.generator(n, 4, 31);
        int m = MultiIndexSet.of(2, n).size();
        int checked = 0;
        for (int i = 0; i < 60; i++) {
            CorpusRecord r = g.record(i);
            for (double[] prefix : r.prefixExpansion()) {
                for (int o = 0; o < 2; o++) {
                    double[] f = new double[GrowthFeatures.perOutput(n)];
                    GrowthFeatures.compute(prefix, o * m, GrowthFeatures.degrees(2, n), n, f, 0);
                    for (int k = 0; k < f.length; k++) {
                        assertTrue(Double.isFinite(f[k]), "feature " + k + " of record " + i);
                        double lo = k <= n ? 0 : k <= 2 * n ? -Math.log(1e6) / 5 - 1e-12 : 0;
                        double hi = k <= n ? 1 + 1e-12 : k <= 2 * n ? Math.log(1e6) / 5 + 1e-12 : k == 2 * n + 1 ? 4 : 1;
                        assertTrue(f[k] >= lo && f[k] <= hi, "feature " + k + " = " + f[k] + " of record " + i);
                    }
                    checked++;
                }
            }
        }
        assertTrue(checked > 100);
    }

    private static double binomial(int n, int k) {
        double b = 1;
        for (int i = 1; i <= k; i++) {
            b = b * (n - k + i) / i;
        }
        return b;
    }
}
