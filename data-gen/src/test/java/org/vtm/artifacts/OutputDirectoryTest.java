package org.vtm.artifacts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** VTM writes only into directories it created (or found empty), and says why it refuses the others. */
class OutputDirectoryTest {

    @Test
    void aMissingOrEmptyDirectoryIsCreatedAndMarked(@TempDir Path tmp) throws Exception {
        Path fresh = tmp.resolve("a/b/run");
        OutputDirectory.claim("--out", fresh, "corpus", null);
        assertTrue(OutputDirectory.isMarked(fresh));
        assertTrue(Files.readString(fresh.resolve(OutputDirectory.MARKER)).contains("\"kind\":\"corpus\""));
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        OutputDirectory.claim("--out", empty, "model", null);
        assertTrue(OutputDirectory.isMarked(empty));
        // a second claim of the same kind is accepted (re-runs, --resume)
        Files.writeString(empty.resolve("model.json"), "{}");
        OutputDirectory.claim("--out", empty, "model", null);
    }

    @Test
    void aNonEmptyDirectoryVtmDidNotWriteIsRefusedAndLeftUntouched(@TempDir Path tmp) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("thesis"));
        Files.writeString(dir.resolve("chapter1.tex"), "x");
        Files.createDirectories(dir.resolve("report"));
        Files.writeString(dir.resolve("report/thesis.txt"), "my thesis");
        OutputDirectory.Refused e = assertThrows(OutputDirectory.Refused.class,
                () -> OutputDirectory.claim("--out", dir, "pipeline", d -> false));
        assertTrue(e.getMessage().startsWith("--out " + dir + " is not empty and was not written by VTM"), e.getMessage());
        assertTrue(e.getMessage().contains("chapter1.tex, report"), e.getMessage());
        assertEquals(List.of("chapter1.tex", "report"), OutputDirectory.entries(dir), "nothing written, nothing removed");
        assertEquals("my thesis", Files.readString(dir.resolve("report/thesis.txt")));
    }

    @Test
    void outputOfAnotherKindIsRefused(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("corpus");
        OutputDirectory.claim("--out", dir, "corpus", null);
        OutputDirectory.Refused e = assertThrows(OutputDirectory.Refused.class,
                () -> OutputDirectory.claim("--out", dir, "pipeline", null));
        assertEquals("--out " + dir + " holds VTM corpus output, not a pipeline; choose another directory", e.getMessage());
    }

    @Test
    void outputOfAnEarlierVersionWithoutMarkerIsAdoptedWhenRecognised(@TempDir Path tmp) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("corpus"));
        Files.writeString(dir.resolve("manifest.json"), "{}");
        OutputDirectory.claim("--out", dir, "corpus", d -> Files.exists(d.resolve("manifest.json")));
        assertTrue(OutputDirectory.isMarked(dir));
        assertTrue(Files.exists(dir.resolve("manifest.json")));
    }

    @Test
    void filesPathsUnderFilesAndUnwritablePlacesAreRefusedBeforeWriting(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("notes.txt"), "keep");
        OutputDirectory.Refused a = assertThrows(OutputDirectory.Refused.class,
                () -> OutputDirectory.claim("--out", file, "corpus", null));
        assertEquals("--out " + file + " is a regular file; expected a directory", a.getMessage());
        OutputDirectory.Refused b = assertThrows(OutputDirectory.Refused.class,
                () -> OutputDirectory.claim("--out", file.resolve("sub/dir"), "corpus", null));
        assertEquals("--out " + file.resolve("sub/dir") + " lies under " + file + ", which is a regular file", b.getMessage());
        assertEquals("keep", Files.readString(file));
        // /sys refuses new directories even to root (a chmod'ed directory would not stop root)
        Path sys = Path.of("/sys/vtm-output-test");
        OutputDirectory.Refused c = assertThrows(OutputDirectory.Refused.class,
                () -> OutputDirectory.claim("--out", sys, "corpus", null));
        assertTrue(c.getMessage().startsWith("--out " + sys + ": cannot create the directory ("), c.getMessage());
        assertFalse(c.getMessage().contains("\n"));
    }

    @Test
    void anUnreadableMarkerIsRefusedNotOverwritten(@TempDir Path tmp) throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("d"));
        Files.writeString(dir.resolve(OutputDirectory.MARKER), "not json {");
        OutputDirectory.Refused e = assertThrows(OutputDirectory.Refused.class,
                () -> OutputDirectory.claim("--out", dir, "corpus", null));
        assertTrue(e.getMessage().contains("is not a readable VTM marker"), e.getMessage());
        assertEquals("not json {", Files.readString(dir.resolve(OutputDirectory.MARKER)));
    }
}
