package org.vtm.evaluation.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vtm.artifacts.AtomicFiles;
import org.vtm.artifacts.OutputDirectory;

/**
 * The stage runner deletes only what a stage wrote: its exact file list once finished, its declared
 * patterns while interrupted; user files are left alone (with a warning) or, standing where an
 * output goes, refused before any stage runs.
 */
class StageRunnerTest {
    private final ByteArrayOutputStream logBytes = new ByteArrayOutputStream();
    private final PrintStream log = new PrintStream(logBytes, true, StandardCharsets.UTF_8);
    private final AtomicInteger runs = new AtomicInteger();

    /** A stage writing out.txt and part-K.bin (K from the input), declared as "out.txt" and "part-*". */
    private StageRunner.Stage stage(String input, int parts) {
        return new StageRunner.Stage("make", "made", List.of(input), List.of(), List.of("out.txt", "part-*"), false,
                (dir, resume) -> {
                    runs.incrementAndGet();
                    for (int k = 0; k < parts; k++) {
                        AtomicFiles.write(dir.resolve("part-" + k + ".bin"), new byte[] {(byte) k});
                    }
                    AtomicFiles.write(dir.resolve("out.txt"), input.getBytes(StandardCharsets.UTF_8));
                    return Map.of();
                }, dir -> Files.isRegularFile(dir.resolve("out.txt")), dir -> AtomicFiles.sha256(dir.resolve("out.txt")));
    }

    private String log() {
        return logBytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aUserFileInAStageDirectorySurvivesAReRunWithAWarning(@TempDir Path run) throws Exception {
        new StageRunner(run, "code-1", log).run(1, 1, stage("a", 3));
        Path made = run.resolve("made");
        Files.writeString(made.resolve("thesis.txt"), "mine");
        StageRunner second = new StageRunner(run, "code-1", log);
        second.checkBlockers(List.of(stage("b", 1)));
        second.run(1, 1, stage("b", 1));
        assertEquals("mine", Files.readString(made.resolve("thesis.txt")));
        assertTrue(log().contains("warning: " + made.resolve("thesis.txt") + " was not written by VTM; left alone"), log());
        // the earlier run's listed outputs are gone, the new ones are there
        assertFalse(Files.exists(made.resolve("part-2.bin")));
        assertEquals("b", Files.readString(made.resolve("out.txt")));
        String record = Files.readString(made.resolve(StageRunner.STAGE_FILE));
        assertTrue(record.contains("\"format\" : \"vtm.stage/2\""), record);
        assertTrue(record.contains("\"files\" : [ \"out.txt\", \"part-0.bin\" ]"), record);
        assertFalse(record.contains("thesis.txt"), "a user file is not listed as VTM's: " + record);
    }

    @Test
    void anUnlistedFileWhereAnOutputGoesIsRefusedBeforeAnyStageRuns(@TempDir Path run) throws Exception {
        Path made = Files.createDirectories(run.resolve("made"));
        Files.writeString(made.resolve("out.txt"), "a user's file of the same name");
        StageRunner r = new StageRunner(run, "code-1", log);
        OutputDirectory.Refused e = assertThrows(OutputDirectory.Refused.class, () -> r.checkBlockers(List.of(stage("a", 1))));
        assertEquals(made.resolve("out.txt") + " is in the way: stage make writes a file of that name and no VTM record "
                + "lists this one; move it away and re-run", e.getMessage());
        assertEquals(0, runs.get());
        assertEquals("a user's file of the same name", Files.readString(made.resolve("out.txt")));
    }

    @Test
    void anInterruptedStagesPartialFilesAreKnownFromItsPendingRecord(@TempDir Path run) throws Exception {
        StageRunner.Stage crashing = new StageRunner.Stage("make", "made", List.of("a"), List.of(), List.of("out.txt", "part-*"),
                false, (dir, resume) -> {
                    AtomicFiles.write(dir.resolve("part-0.bin"), new byte[] {1});
                    Files.write(dir.resolve(".part-1.bin.partial-99-1"), new byte[] {2});
                    throw new IllegalStateException("killed");
                }, dir -> false, dir -> "");
        assertThrows(IllegalStateException.class, () -> new StageRunner(run, "code-1", log).run(1, 1, crashing));
        Path made = run.resolve("made");
        String pending = Files.readString(made.resolve(StageRunner.PENDING_FILE));
        assertTrue(pending.contains("\"outputs\" : [ \"out.txt\", \"part-*\" ]"), "outputs listed before any is written: " + pending);
        Files.writeString(made.resolve("notes.md"), "mine");
        StageRunner again = new StageRunner(run, "code-1", log);
        again.checkBlockers(List.of(stage("a", 1)));
        again.run(1, 1, stage("a", 1));
        assertFalse(Files.exists(made.resolve(".part-1.bin.partial-99-1")), "VTM's temporary file removed");
        assertEquals("mine", Files.readString(made.resolve("notes.md")));
        assertFalse(Files.exists(made.resolve(StageRunner.PENDING_FILE)));
        assertEquals(1, runs.get());
    }

    @Test
    void aFirstFormatStageRecordListsItsStagesPatterns(@TempDir Path run) throws Exception {
        Path made = Files.createDirectories(run.resolve("made"));
        Files.writeString(made.resolve(StageRunner.STAGE_FILE),
                "{\"format\":\"vtm.stage/1\",\"stage\":\"make\",\"input_hash\":\"old\",\"output_hash\":\"x\"}");
        Files.writeString(made.resolve("out.txt"), "old output");
        Files.writeString(made.resolve("part-7.bin"), "old part");
        Files.writeString(made.resolve("README"), "mine");
        StageRunner r = new StageRunner(run, "code-1", log);
        r.checkBlockers(List.of(stage("a", 1)));
        r.run(1, 1, stage("a", 1));
        assertFalse(Files.exists(made.resolve("part-7.bin")), "an earlier VTM's output (by its stage's patterns) removed");
        assertEquals("mine", Files.readString(made.resolve("README")));
        assertEquals("a", Files.readString(made.resolve("out.txt")));
    }

    @Test
    void aChangeOfCodeReRunsAStageThatSameCodeSkips(@TempDir Path run) throws Exception {
        new StageRunner(run, "code-1", log).run(1, 1, stage("a", 1));
        StageRunner same = new StageRunner(run, "code-1", log);
        same.run(1, 1, stage("a", 1));
        assertEquals(List.of("make"), same.skipped());
        StageRunner changed = new StageRunner(run, "code-2", log);
        changed.run(1, 1, stage("a", 1));
        assertEquals(List.of("make"), changed.ran());
        assertEquals(2, runs.get());
    }

    @Test
    void aRunDirectoryOfAnEarlierVersionIsRecognisedByItsConfigAndStageRecords(@TempDir Path tmp) throws Exception {
        Path old = Files.createDirectories(tmp.resolve("old/corpus-train"));
        Files.writeString(old.resolve(StageRunner.STAGE_FILE), "{\"format\":\"vtm.stage/1\"}");
        Files.writeString(tmp.resolve("old/config.json"), "{}");
        Files.writeString(tmp.resolve("old/config.yaml"), "{}");
        assertTrue(Pipeline.isUnmarkedRun(tmp.resolve("old")));
        Path thesis = Files.createDirectories(tmp.resolve("thesis/report"));
        Files.writeString(thesis.resolve("thesis.txt"), "mine");
        Files.writeString(tmp.resolve("thesis/config.yaml"), "mine too");
        assertFalse(Pipeline.isUnmarkedRun(tmp.resolve("thesis")));
    }

    @Test
    void aForeignFileBlocksOnlyAStageThatWillWriteThere(@TempDir Path run) throws Exception {
        new StageRunner(run, "code-1", log).run(1, 1, stage("a", 1));
        Path made = run.resolve("made");
        Files.writeString(made.resolve("part-9.bin"), "someone else's file, named like an output");
        StageRunner same = new StageRunner(run, "code-1", log);
        same.checkBlockers(List.of(stage("a", 1)));   // finished record: the stage may be skipped
        same.run(1, 1, stage("a", 1));
        assertEquals(List.of("make"), same.skipped(), "skipped: nothing is written, nothing blocks");
        StageRunner changed = new StageRunner(run, "code-2", log);
        OutputDirectory.Refused e = assertThrows(OutputDirectory.Refused.class, () -> changed.run(1, 1, stage("a", 1)));
        assertTrue(e.getMessage().startsWith(made.resolve("part-9.bin") + " is in the way"), e.getMessage());
        assertEquals("someone else's file, named like an output", Files.readString(made.resolve("part-9.bin")));
        assertTrue(Files.exists(made.resolve("out.txt")), "refused before cleaning anything");
    }
}
