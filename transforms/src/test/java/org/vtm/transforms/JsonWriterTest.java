package org.vtm.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.vtm.transforms.cli.MiniJson;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class JsonWriterTest {

    @Test
    void stringsAreEscapedAndParseBack() {
        String nasty = "quote \" backslash \\ slash / tab \t nl \n cr \r bs \b ff \f nul \u0000 us \u001f"
                + " del \u007f ls \u2028 ps \u2029 é 😀";
        String text = new JsonWriter().value(nasty).toString();
        assertEquals(nasty, MiniJson.parse(text));
        // no raw control characters or line separators survive
        for (char c : text.toCharArray()) {
            assertEquals(false, c < 0x20 || c == '\u2028' || c == '\u2029', "raw char " + (int) c + " in " + text);
        }
        assertEquals("\"\\u0000\\u001f\"", JsonWriter.quote("\u0000\u001f"));
    }

    @Test
    void doublesRoundTripExactly() {
        SplittableRandom rnd = new SplittableRandom(42);
        for (int k = 0; k < 20_000; k++) {
            double v = Double.longBitsToDouble(rnd.nextLong());
            if (!Double.isFinite(v)) {
                continue;
            }
            Object back = MiniJson.parse(JsonWriter.number(v));
            assertEquals(Double.doubleToLongBits(v), Double.doubleToLongBits((Double) back), JsonWriter.number(v));
        }
        for (double v : new double[] {0.0, -0.0, 0.1, 1e-5, 1e21, 5e-324, Double.MAX_VALUE, -Double.MIN_NORMAL}) {
            assertEquals(Double.doubleToLongBits(v), Double.doubleToLongBits((Double) MiniJson.parse(JsonWriter.number(v))));
        }
    }

    @Test
    void nonFiniteNumbersAreNull() {
        String text = new JsonWriter().array(new double[] {1.5, Double.NaN, Double.POSITIVE_INFINITY,
            Double.NEGATIVE_INFINITY}).toString();
        assertEquals("[1.5,null,null,null]", text);
    }

    @Test
    void nestingPlacesCommasCorrectly() {
        String text = new JsonWriter().beginObject().name("a").value(1).name("b").beginArray().beginObject().endObject()
                .array(new int[] {1, 2}).value("x").value(true).value((String) null).endArray()
                .name("c").beginObject().name("d").array(new double[0]).endObject().endObject().toString();
        assertEquals("{\"a\":1,\"b\":[{},[1,2],\"x\",true,null],\"c\":{\"d\":[]}}", text);
        Map<String, Object> m = MiniJson.object(text);
        assertEquals(List.of("a", "b", "c"), List.copyOf(m.keySet()));
        assertNull(((List<?>) m.get("b")).get(4));
    }
}
