package org.vtm.datagen.baseline;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vtm.datagen.CorpusFormatException;

/** The Spark-free loader of the linear baseline (format vtm.linear-baseline/1). */
class LinearBaselineFileTest {

    @Test
    void theLoaderRefusesNewerForeignCorruptAndInconsistentFilesNamingThem(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve(LinearBaselineFile.FILE_NAME);
        String json = LinearBaselineFile.toJson(LinearBaselineTest.model());

        Files.writeString(file, json.replace("\"vtm.linear-baseline/1\"", "\"vtm.linear-baseline/2\""));
        CorpusFormatException e = assertThrows(CorpusFormatException.class, () -> LinearBaselineFile.read(file));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("newer model version vtm.linear-baseline/2"),
                e.getMessage());

        Files.writeString(file, json.replace("\"vtm.linear-baseline/1\"", "\"vtm.corpus/1\""));
        e = assertThrows(CorpusFormatException.class, () -> LinearBaselineFile.read(file));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("expected vtm.linear-baseline/1"), e.getMessage());

        Files.write(file, java.util.Arrays.copyOf(json.getBytes(StandardCharsets.UTF_8), json.length() / 2)); // truncated
        e = assertThrows(CorpusFormatException.class, () -> LinearBaselineFile.read(file));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("not valid JSON"), e.getMessage());

        Files.writeString(file, json.replaceFirst("\"intercepts\" : \\[ [^,]+,", "\"intercepts\" : [ "));
        e = assertThrows(CorpusFormatException.class, () -> LinearBaselineFile.read(file));
        assertTrue(e.getMessage().contains(file.toString()) && e.getMessage().contains("intercepts has 5 values, expected 6"),
                e.getMessage());

        e = assertThrows(CorpusFormatException.class, () -> LinearBaselineFile.read(tmp.resolve("nothing-here")));
        assertTrue(e.getMessage().contains("nothing-here") && e.getMessage().contains("missing"), e.getMessage());
    }
}
