package org.vtm.transforms;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Canonical printing of number literals: the fewest significant digits that parse back to the
 * same double (independent of the JDK's {@code Double.toString}), without trailing zeros or a
 * trailing ".0"; plain notation when the decimal exponent is in [-6, 21), otherwise
 * {@code d.ddde[-]x}. Examples: {@code 0}, {@code 2}, {@code 0.1}, {@code 0.000001}, {@code 1e-7}, {@code 1e21},
 * {@code 1.7976931348623157e308}.
 */
final class NumberFormat {
    private NumberFormat() {
    }

    static String format(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v) || Double.doubleToRawLongBits(v) < 0) {
            throw new IllegalArgumentException("cannot print literal " + v);
        }
        if (v == 0) {
            return "0";
        }
        BigDecimal exact = new BigDecimal(v);
        BigDecimal shortest = null;
        for (int digits = 1; digits <= 17; digits++) {
            BigDecimal r = exact.round(new MathContext(digits, RoundingMode.HALF_EVEN));
            if (r.doubleValue() == v) {
                shortest = r;
                break;
            }
        }
        if (shortest == null) {
            throw new AssertionError("17 significant digits always round-trip: " + v);
        }
        shortest = shortest.stripTrailingZeros();
        String unscaled = shortest.unscaledValue().toString();
        int exponent = unscaled.length() - 1 - shortest.scale();
        if (exponent >= -6 && exponent < 21) {
            return shortest.toPlainString();
        }
        StringBuilder sb = new StringBuilder(unscaled.length() + 8);
        sb.append(unscaled.charAt(0));
        if (unscaled.length() > 1) {
            sb.append('.').append(unscaled, 1, unscaled.length());
        }
        return sb.append('e').append(exponent).toString();
    }
}
