package org.vtm.transforms;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A tiny streaming JSON writer for the artifact formats ({@link ArtifactJson}) (the transforms module has no JSON library).
 * Commas and nesting are tracked for the caller; output is one line with no insignificant blanks.
 *
 * <ul>
 *   <li>Strings are escaped per RFC 8259: {@code "} and {@code \}, the control characters
 *       U+0000..U+001F ({@code \b \f \n \r \t} or {@code \}{@code u00XX}), and also U+2028/U+2029
 *       (so the text is valid JavaScript too). Other characters are written as they are (UTF-8).</li>
 *   <li>Finite doubles are written with {@link Double#toString(double)}, which yields a decimal
 *       that parses back to the same double (e.g. {@code 0.1}, {@code 1.0E-5}, {@code -0.0}); both
 *       forms are valid JSON numbers.</li>
 *   <li><b>Non-finite numbers are written as {@code null}</b> (JSON has no NaN or infinity). A
 *       reader sees {@code null} where a computation overflowed or was undefined, for example a
 *       relative error against an identically zero truth, or a coefficient of {@code log} at a
 *       non-positive point. The commands document this in their help.</li>
 * </ul>
 */
public final class JsonWriter {
    private final StringBuilder out = new StringBuilder();
    /** One entry per open container: true while no element has been written in it yet. */
    private final Deque<boolean[]> first = new ArrayDeque<>();
    private boolean afterName;

    /** The text written so far. */
    @Override
    public String toString() {
        return out.toString();
    }

    public JsonWriter beginObject() {
        separate();
        out.append('{');
        first.push(new boolean[] {true});
        return this;
    }

    public JsonWriter endObject() {
        first.pop();
        out.append('}');
        return this;
    }

    public JsonWriter beginArray() {
        separate();
        out.append('[');
        first.push(new boolean[] {true});
        return this;
    }

    public JsonWriter endArray() {
        first.pop();
        out.append(']');
        return this;
    }

    /** The key of the next member of the current object. */
    public JsonWriter name(String key) {
        separate();
        quote(out, key);
        out.append(':');
        afterName = true;
        return this;
    }

    public JsonWriter value(String s) {
        separate();
        if (s == null) {
            out.append("null");
        } else {
            quote(out, s);
        }
        return this;
    }

    public JsonWriter value(long v) {
        separate();
        out.append(v);
        return this;
    }

    /** A number; {@code null} if {@code v} is NaN or infinite. */
    public JsonWriter value(double v) {
        separate();
        out.append(number(v));
        return this;
    }

    public JsonWriter value(boolean v) {
        separate();
        out.append(v);
        return this;
    }

    /** An array of numbers (non-finite entries as {@code null}). */
    public JsonWriter array(double[] values) {
        beginArray();
        for (double v : values) {
            value(v);
        }
        return endArray();
    }

    /** An array of integers. */
    public JsonWriter array(int[] values) {
        beginArray();
        for (int v : values) {
            value(v);
        }
        return endArray();
    }

    private void separate() {
        if (afterName) {
            afterName = false;
            return;
        }
        boolean[] f = first.peek();
        if (f != null) {
            if (!f[0]) {
                out.append(',');
            }
            f[0] = false;
        }
    }

    /** The JSON text of a double: {@link Double#toString(double)} if finite, else {@code null}. */
    public static String number(double v) {
        return Double.isFinite(v) ? Double.toString(v) : "null";
    }

    /** {@code s} as a JSON string literal. */
    public static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2);
        quote(b, s);
        return b.toString();
    }

    private static void quote(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }
}
