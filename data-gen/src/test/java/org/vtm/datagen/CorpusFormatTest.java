package org.vtm.datagen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.message.ArrowBlock;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Corpus files: round trips, determinism, atomicity and resumption, and every fault the reader must name. */
class CorpusFormatTest {

    private static final long SEED = 7;
    private static final JsonNode CONFIG = new ObjectMapper().createObjectNode().put("kind", "synthetic");

    private static Manifest write(Path dir, long count, int shardSize, int batch) throws IOException {
        return new CorpusWriter(SyntheticRecords.LAYOUT, shardSize, batch)
                .write(dir, count, SEED, CONFIG, i -> SyntheticRecords.record(SEED, i), null);
    }

    @Test
    void recordsRoundTripExactly(@TempDir Path dir) throws IOException {
        Manifest m = write(dir, 23, 10, 4);
        assertEquals(3, m.shards().size());
        assertEquals(23, m.records());
        CorpusReader reader = CorpusReader.open(dir);
        assertEquals(SyntheticRecords.LAYOUT, reader.layout());
        List<CorpusRecord> back = reader.records(CorpusFilter.ALL);
        assertEquals(23, back.size());
        for (int i = 0; i < 23; i++) {
            assertEquals(SyntheticRecords.record(SEED, i), back.get(i), "record " + i);
        }
        assertEquals(back.stream().mapToLong(CorpusRecord::rejectedBefore).sum(), m.rejected());
    }

    @Test
    void flatBatchesMatchRecordsAndFiltersApply(@TempDir Path dir) throws IOException {
        write(dir, 40, 16, 8);
        CorpusReader reader = CorpusReader.open(dir);
        CorpusFilter twoOrThree = new CorpusFilter(2, 2, "chebyshev", 2, 3);
        Map<Long, CorpusRecord> expected = new HashMap<>();
        for (CorpusRecord r : reader.records(twoOrThree)) {
            assertTrue(r.steps() >= 2 && r.steps() <= 3);
            expected.put(r.index(), r);
        }
        assertFalse(expected.isEmpty());
        List<Long> seen = new ArrayList<>();
        int m = SyntheticRecords.LAYOUT.terms();
        reader.forEachBatch(twoOrThree, b -> {
            for (int k = 0; k < b.size(); k++) {
                CorpusRecord r = expected.get(b.index(k));
                seen.add(b.index(k));
                assertEquals(r.steps(), b.steps(k));
                assertEquals(r.radius(), b.radius(k));
                double[][] prefix = r.prefixExpansion();
                for (int t = 0; t < b.maxSteps(); t++) {
                    for (int j = 0; j < 2 * m; j++) {
                        double want = t < r.steps() ? prefix[t][j] : 0.0; // padding is zero
                        assertEquals(want, b.prefixExpansion()[(k * b.maxSteps() + t) * 2 * m + j], "record " + r.index());
                    }
                }
            }
        });
        assertEquals(expected.size(), seen.size());
        assertTrue(reader.records(new CorpusFilter(3, null, null, 1, 9)).isEmpty(), "d filter");
        assertTrue(reader.records(new CorpusFilter(null, null, "legendre", 1, 9)).isEmpty(), "family filter");
    }

    @Test
    void sameConfigurationGivesByteIdenticalShardsAndShardSizeDoesNotChangeRecords(@TempDir Path tmp) throws IOException {
        Manifest a = write(tmp.resolve("a"), 30, 10, 4);
        Manifest b = write(tmp.resolve("b"), 30, 10, 4);
        for (int k = 0; k < a.shards().size(); k++) {
            assertArrayEquals(Files.readAllBytes(tmp.resolve("a").resolve(a.shards().get(k).file())),
                    Files.readAllBytes(tmp.resolve("b").resolve(b.shards().get(k).file())), "shard " + k);
        }
        write(tmp.resolve("c"), 30, 7, 3);
        assertEquals(CorpusReader.open(tmp.resolve("a")).records(CorpusFilter.ALL),
                CorpusReader.open(tmp.resolve("c")).records(CorpusFilter.ALL));
    }

    @Test
    void anotherArrowReaderNeedsNoProjectClasses(@TempDir Path dir) throws IOException {
        write(dir, 5, 10, 4);
        // Only Arrow's own API below: schema metadata, shapes in field metadata, plain vectors.
        try (BufferAllocator allocator = new RootAllocator();
                FileChannel ch = FileChannel.open(dir.resolve("shard-00000.arrow"), StandardOpenOption.READ);
                ArrowFileReader reader = new ArrowFileReader(ch, allocator)) {
            Schema schema = reader.getVectorSchemaRoot().getSchema();
            assertEquals("vtm.corpus/2", schema.getCustomMetadata().get("format"));
            Field prefix = schema.findField("prefix_expansion");
            assertEquals("[2,6]", prefix.getChildren().get(0).getMetadata().get("shape"));
            assertTrue(reader.loadNextBatch());
            var root = reader.getVectorSchemaRoot();
            @SuppressWarnings("unchecked")
            List<List<Double>> steps = (List<List<Double>>) root.getVector("prefix_expansion").getObject(1);
            double[][] want = SyntheticRecords.record(SEED, 1).prefixExpansion();
            assertEquals(want.length, steps.size());
            for (int t = 0; t < want.length; t++) {
                for (int j = 0; j < want[t].length; j++) {
                    assertEquals(want[t][j], steps.get(t).get(j));
                }
            }
            assertEquals("(x, y) -> (x * 1, y)", root.getVector("program").getObject(1).toString());
            assertEquals("random", root.getVector("program_family").getObject(1).toString());
            assertTrue(Double.isNaN((Double) root.getVector("pole_distance").getObject(1)), "no pole recorded");
        }
    }

    @Test
    void truncatedShardIsNamed(@TempDir Path dir) throws IOException {
        write(dir, 20, 10, 4);
        Path shard = dir.resolve("shard-00001.arrow");
        try (FileChannel ch = FileChannel.open(shard, StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() - 100);
        }
        CorpusFormatException e = assertThrows(CorpusFormatException.class, () -> CorpusReader.open(dir));
        assertEquals(shard, e.file());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void bitFlipIsNamedWithItsRecordBatch(@TempDir Path dir) throws IOException {
        write(dir, 10, 10, 4); // one shard, record batches of 4, 4, 2
        Path shard = dir.resolve("shard-00000.arrow");
        long offset;
        try (BufferAllocator allocator = new RootAllocator();
                FileChannel ch = FileChannel.open(shard, StandardOpenOption.READ);
                ArrowFileReader reader = new ArrowFileReader(ch, allocator)) {
            ArrowBlock second = reader.getRecordBlocks().get(1);
            offset = second.getOffset() + second.getMetadataLength() + second.getBodyLength() / 2;
        }
        try (RandomAccessFile f = new RandomAccessFile(shard.toFile(), "rw")) {
            f.seek(offset);
            int b = f.read();
            f.seek(offset);
            f.write(b ^ 0x10);
        }
        CorpusFormatException e = assertThrows(CorpusFormatException.class, () -> CorpusReader.open(dir));
        assertEquals(1, e.batch(), e.getMessage());
        assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
        assertTrue(e.getMessage().contains("shard-00000.arrow"), e.getMessage());
    }

    @Test
    void newerOrForeignSchemasAndMissingFieldsAreRefused() {
        Schema good = CorpusSchema.schema(SyntheticRecords.LAYOUT);
        Path file = Path.of("shard-x.arrow");
        assertEquals(SyntheticRecords.LAYOUT, CorpusSchema.validate(good, file));

        Map<String, String> newer = new HashMap<>(good.getCustomMetadata());
        newer.put("format", "vtm.corpus/3");
        CorpusFormatException e1 = assertThrows(CorpusFormatException.class,
                () -> CorpusSchema.validate(new Schema(good.getFields(), newer), file));
        assertTrue(e1.getMessage().contains("newer schema version vtm.corpus/3"), e1.getMessage());

        Map<String, String> foreign = new HashMap<>(good.getCustomMetadata());
        foreign.put("format", "vtm.tbank/1");
        assertThrows(CorpusFormatException.class, () -> CorpusSchema.validate(new Schema(good.getFields(), foreign), file));

        List<Field> fewer = new ArrayList<>(good.getFields());
        fewer.removeIf(f -> f.getName().equals("oracle_coefficients"));
        CorpusFormatException e2 = assertThrows(CorpusFormatException.class,
                () -> CorpusSchema.validate(new Schema(fewer, good.getCustomMetadata()), file));
        assertTrue(e2.getMessage().contains("missing field 'oracle_coefficients'"), e2.getMessage());

        // format 2 needs the program family columns; format 1 never had them
        List<Field> noFamily = new ArrayList<>(good.getFields());
        noFamily.removeIf(f -> CorpusSchema.FORMAT_2_COLUMNS.contains(f.getName()));
        CorpusFormatException e3 = assertThrows(CorpusFormatException.class,
                () -> CorpusSchema.validate(new Schema(noFamily, good.getCustomMetadata()), file));
        assertTrue(e3.getMessage().contains("missing field 'program_family'"), e3.getMessage());
        Map<String, String> one = new HashMap<>(good.getCustomMetadata());
        one.put("format", CorpusSchema.FORMAT_1);
        assertEquals(SyntheticRecords.LAYOUT, CorpusSchema.validate(new Schema(noFamily, one), file));
    }

    @Test
    void interruptedRunLeavesNoManifestAndResumes(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("corpus");
        CorpusWriter writer = new CorpusWriter(SyntheticRecords.LAYOUT, 10, 4);
        List<String> partialAtFailure = new ArrayList<>();
        assertThrows(IllegalStateException.class, () -> writer.write(dir, 30, SEED, CONFIG, i -> {
            if (i == 15) {
                // shard 1 (records 10..19) is being written: its first batch (10..13) is already in the partial file
                try (Stream<Path> files = Files.list(dir)) {
                    files.map(p -> p.getFileName().toString()).filter(n -> n.contains("partial")).forEach(partialAtFailure::add);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                throw new IllegalStateException("simulated crash at record 15");
            }
            return SyntheticRecords.record(SEED, i);
        }, null));
        assertEquals(1, partialAtFailure.size(), "the failure comes while shard 1's partial file exists: " + partialAtFailure);
        assertTrue(partialAtFailure.get(0).startsWith(".shard-00001.arrow.partial-"), partialAtFailure.toString());
        assertFalse(Files.exists(dir.resolve("manifest.json")));
        assertFalse(Files.exists(dir.resolve(CorpusWriter.shardName(1))), "no half-written shard under its final name");
        try (Stream<Path> files = Files.list(dir)) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().contains("partial")), "no partial files left");
        }
        CorpusFormatException e = assertThrows(CorpusFormatException.class, () -> CorpusReader.open(dir));
        assertTrue(e.getMessage().contains("incomplete"), e.getMessage());

        AtomicInteger calls = new AtomicInteger();
        writer.write(dir, 30, SEED, CONFIG, i -> {
            calls.incrementAndGet();
            return SyntheticRecords.record(SEED, i);
        }, null);
        assertEquals(20, calls.get(), "the finished first shard is kept, the other two are written");
        write(tmp.resolve("clean"), 30, 10, 4);
        assertEquals(CorpusReader.open(tmp.resolve("clean")).records(CorpusFilter.ALL),
                CorpusReader.open(dir).records(CorpusFilter.ALL));
        for (int k = 0; k < 3; k++) {
            assertArrayEquals(Files.readAllBytes(tmp.resolve("clean").resolve(CorpusWriter.shardName(k))),
                    Files.readAllBytes(dir.resolve(CorpusWriter.shardName(k))));
        }
    }

    @Test
    void manifestShardNamesCannotPointOutsideTheCorpus(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("corpus");
        write(dir, 12, 5, 4);
        Path manifest = dir.resolve(Manifest.FILE_NAME);
        String good = Files.readString(manifest);
        Files.writeString(tmp.resolve("outside.arrow"), "not ours to read");
        String[][] bad = {
            {"../outside.arrow", "contains '..'"},
            {"/etc/passwd", "is a path"},
            {"sub/shard-00000.arrow", "is a path"},
            {"..\\\\outside.arrow", "contains '..'"},
            {"dir\\\\shard-00000.arrow", "is a path"},
            {"C:shard-00000.arrow", "is a path"},
            {"..", "contains '..'"},
            {".", "is the directory itself"},
            {"", "is missing or empty"},
        };
        for (String[] c : bad) {
            Files.writeString(manifest, good.replace("\"file\" : \"shard-00001.arrow\"", "\"file\" : \"" + c[0] + "\""));
            assertTrue(Files.readString(manifest).contains(c[0].isEmpty() ? "\"file\" : \"\"" : c[0]), "manifest edited for " + c[0]);
            CorpusFormatException e = assertThrows(CorpusFormatException.class, () -> CorpusReader.open(dir), c[0]);
            String msg = e.getMessage();
            assertTrue(msg.contains(manifest.toString()) && msg.contains("shards[1].file") && msg.contains(c[1])
                    && msg.contains("plain file name") && msg.contains("shard-00001.arrow"), c[0] + " -> " + msg);
        }
        Files.writeString(manifest, good.replace("\"file\" : \"shard-00001.arrow\"", "\"file\" : null"));
        CorpusFormatException missing = assertThrows(CorpusFormatException.class, () -> Manifest.read(dir));
        assertTrue(missing.getMessage().contains("shards[1].file") && missing.getMessage().contains("missing"), missing.getMessage());
        Files.writeString(manifest, good);
        assertEquals(12, CorpusReader.open(dir).records(CorpusFilter.ALL).size(), "the untouched manifest still reads");
    }

    @Test
    void aRunCompletesOverPartialFilesOfAKilledRunAndRemovesOnlyThose(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("corpus");
        Files.createDirectories(dir);
        // what a writer killed with SIGKILL leaves: a partial shard (a process id that is not running)
        // and a partial sidecar; plus files that only look similar and are not VTM's corpus files
        long deadPid = deadPid();
        Path partialShard = dir.resolve(".shard-00001.arrow.partial-" + deadPid + "-1");
        Path partialSidecar = dir.resolve("..shard-00000.arrow.done.partial-" + deadPid + "-7");
        Files.write(partialShard, new byte[] {'A', 'R', 'R', 'O', 'W', '1'});
        Files.writeString(partialSidecar, "{");
        Path mine = dir.resolve("notes.partial-1-1");
        Path otherTarget = dir.resolve(".thesis.txt.partial-" + deadPid + "-1");
        Files.writeString(mine, "user file");
        Files.writeString(otherTarget, "someone else's temporary file");
        write(dir, 12, 5, 4);
        write(tmp.resolve("clean"), 12, 5, 4);
        assertFalse(Files.exists(partialShard));
        assertFalse(Files.exists(partialSidecar));
        assertTrue(Files.exists(mine) && Files.exists(otherTarget), "only VTM's temporary files for corpus files are removed");
        for (int k = 0; k < 3; k++) {
            assertArrayEquals(Files.readAllBytes(tmp.resolve("clean").resolve(CorpusWriter.shardName(k))),
                    Files.readAllBytes(dir.resolve(CorpusWriter.shardName(k))), "shard " + k);
        }
    }

    /** A process id with no running process (the largest pid the kernel would hand out is far below). */
    static long deadPid() {
        long pid = 999_999_999L;
        while (ProcessHandle.of(pid).isPresent()) {
            pid--;
        }
        return pid;
    }
}
