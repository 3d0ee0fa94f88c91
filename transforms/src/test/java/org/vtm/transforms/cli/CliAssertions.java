package org.vtm.transforms.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

/** Shared checks for the command tests. */
final class CliAssertions {
    private CliAssertions() {
    }

    /** Runs a command that must succeed and returns its output. */
    static String ok(String... args) {
        Cli.Run r = Cli.run(args);
        assertEquals(0, r.code(), String.join(" ", args) + " -> " + r.err());
        assertEquals("", r.err(), "no error output");
        return r.out();
    }

    /** Parses a successful JSON run and checks its keys, in order. */
    static Map<String, Object> json(List<String> keys, String... args) {
        Map<String, Object> m = MiniJson.object(ok(args));
        assertEquals(keys, List.copyOf(m.keySet()), "keys in order");
        return m;
    }

    /**
     * A usage mistake: exit 2, exactly one line on the error stream that contains {@code fragment},
     * no stack trace or exception class name, nothing on standard output.
     */
    static String usageError(String fragment, String... args) {
        Cli.Run r = Cli.run(args);
        String what = String.join(" ", args) + " -> " + r.err();
        assertEquals(2, r.code(), what);
        assertEquals(1, r.err().lines().count(), "one line: " + what);
        assertFalse(r.err().contains("Exception"), what);
        assertFalse(r.err().contains("\tat "), what);
        assertTrue(r.err().contains(fragment), "expected '" + fragment + "' in " + what);
        assertEquals("", r.out(), what);
        return r.err();
    }

    static double num(Object o) {
        return (Double) o;
    }

    static int[] ints(Object o) {
        return ((List<?>) o).stream().mapToInt(x -> (int) (double) (Double) x).toArray();
    }

    static double[] doubles(Object o) {
        return ((List<?>) o).stream().mapToDouble(x -> (Double) x).toArray();
    }

    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> objects(Object o) {
        return (List<Map<String, Object>>) o;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> obj(Object o) {
        return (Map<String, Object>) o;
    }
}
