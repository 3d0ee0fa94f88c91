package org.vtm.transforms;

import java.util.Arrays;

/** Argument validation for the calculus classes; every message names the offending value. */
final class SeriesChecks {

    private SeriesChecks() {
    }

    static void dimension(int dim) {
        if (dim < 1) {
            throw new IllegalArgumentException("dimension must be >= 1, got " + dim);
        }
    }

    static void order(int order) {
        if (order < 0) {
            throw new IllegalArgumentException("order must be >= 0, got " + order);
        }
    }

    static void length(String what, int actual, int expected) {
        if (actual != expected) {
            throw new IllegalArgumentException(what + ": expected length " + expected + ", got " + actual);
        }
    }

    static void index(String what, int index, int size) {
        if (index < 0 || index >= size) {
            throw new IllegalArgumentException(what + " " + index + " out of range [0, " + size + ")");
        }
    }

    static void finite(String what, double[] values) {
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new IllegalArgumentException(what + "[" + i + "] is not finite: " + values[i]
                        + " (in " + Arrays.toString(values) + ")");
            }
        }
    }

    static <T> T notNull(String what, T value) {
        if (value == null) {
            throw new IllegalArgumentException(what + " must not be null");
        }
        return value;
    }
}
