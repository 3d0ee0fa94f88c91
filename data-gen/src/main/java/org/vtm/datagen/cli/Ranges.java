package org.vtm.datagen.cli;

import org.vtm.transforms.cli.UsageException;

/** Parses {@code a..b} ranges given on the command line. */
public final class Ranges {
    private Ranges() {
    }

    /** {@code "1..4"} or {@code "3"} as {lo, hi}. */
    public static int[] ints(String option, String text) {
        String[] parts = split(option, text);
        try {
            int lo = Integer.parseInt(parts[0].trim());
            int hi = Integer.parseInt(parts[1].trim());
            if (lo > hi) {
                throw new UsageException(option + " " + text + ": the lower end is above the upper end");
            }
            return new int[] {lo, hi};
        } catch (NumberFormatException e) {
            throw new UsageException(option + " expects an integer range like 1..4, got '" + text + "'");
        }
    }

    /** {@code "0.1..0.5"} or {@code "-1..1"} as {lo, hi}. */
    public static double[] doubles(String option, String text) {
        String[] parts = split(option, text);
        try {
            double lo = Double.parseDouble(parts[0].trim());
            double hi = Double.parseDouble(parts[1].trim());
            if (!Double.isFinite(lo) || !Double.isFinite(hi) || lo > hi) {
                throw new UsageException(option + " expects finite numbers a..b with a <= b, got '" + text + "'");
            }
            return new double[] {lo, hi};
        } catch (NumberFormatException e) {
            throw new UsageException(option + " expects a number range like 0.1..0.5, got '" + text + "'");
        }
    }

    private static String[] split(String option, String text) {
        int dots = text.indexOf("..");
        if (dots < 0) {
            return new String[] {text, text};
        }
        if (text.indexOf("..", dots + 2) >= 0) {
            throw new UsageException(option + " expects a range a..b, got '" + text + "'");
        }
        return new String[] {text.substring(0, dots), text.substring(dots + 2)};
    }
}
