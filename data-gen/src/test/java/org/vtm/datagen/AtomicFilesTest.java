package org.vtm.datagen;

import org.vtm.artifacts.AtomicFiles;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Temporary-file naming, the clean-up of what killed writers leave, and the directory sync. */
class AtomicFilesTest {

    @Test
    void partialNamesAreRecognisedOnlyInVtmsPattern() {
        Path t = AtomicFiles.temporaryFor(Path.of("dir", "shard-00003.arrow"));
        assertEquals("shard-00003.arrow", AtomicFiles.partialTarget(t.getFileName().toString()));
        assertEquals(".shard-00003.arrow.done", AtomicFiles.partialTarget("..shard-00003.arrow.done.partial-12-1"));
        assertNull(AtomicFiles.partialTarget("shard-00003.arrow"));
        assertNull(AtomicFiles.partialTarget(".shard-00003.arrow.partial-12"));
        assertNull(AtomicFiles.partialTarget(".shard-00003.arrow.partial-x-1"));
        assertNull(AtomicFiles.partialTarget("thesis.partial-1-1"));
    }

    @Test
    void removesOnlyPartialFilesOfDeadWritersForTheGivenTargets(@TempDir Path dir) throws IOException {
        long dead = CorpusFormatTest.deadPid();
        long alive = ProcessHandle.current().pid();
        Path deadShard = Files.writeString(dir.resolve(".shard-00000.arrow.partial-" + dead + "-1"), "x");
        Path liveShard = Files.writeString(dir.resolve(".shard-00001.arrow.partial-" + alive + "-1"), "x");
        Path foreign = Files.writeString(dir.resolve(".thesis.txt.partial-" + dead + "-1"), "x");
        Path plain = Files.writeString(dir.resolve("shard-00000.arrow"), "x");
        Path partialDir = Files.createDirectory(dir.resolve(".shard-00002.arrow.partial-" + dead + "-1"));
        assertEquals(1, AtomicFiles.removePartials(dir, CorpusWriter::isCorpusFile, true));
        assertFalse(Files.exists(deadShard));
        assertTrue(Files.exists(liveShard), "a running writer's temporary file is kept");
        assertTrue(Files.exists(foreign) && Files.exists(plain) && Files.isDirectory(partialDir),
                "other targets, final names and directories are never touched");
        assertEquals(1, AtomicFiles.removePartials(dir, CorpusWriter::isCorpusFile, false));
        assertFalse(Files.exists(liveShard));
        assertTrue(Files.exists(foreign) && Files.exists(plain));
        assertEquals(0, AtomicFiles.removePartials(dir.resolve("absent"), n -> true, false));
    }

    @Test
    void commitRenamesAndSyncsTheDirectory(@TempDir Path dir) throws IOException {
        Path target = dir.resolve("out.bin");
        AtomicFiles.write(target, new byte[] {1, 2, 3});
        assertArrayEquals(new byte[] {1, 2, 3}, Files.readAllBytes(target));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary file left");
        }
        AtomicFiles.syncDirectory(dir); // a directory can be opened and forced on this (POSIX) system
        assertThrows(NoSuchFileException.class, () -> AtomicFiles.syncDirectory(dir.resolve("absent")));
        // a commit into a directory that cannot be synced fails instead of reporting success
        Path temp = AtomicFiles.temporaryFor(target);
        Files.write(temp, new byte[] {4});
        AtomicFiles.commit(temp, target);
        assertArrayEquals(new byte[] {4}, Files.readAllBytes(target));
    }
}
