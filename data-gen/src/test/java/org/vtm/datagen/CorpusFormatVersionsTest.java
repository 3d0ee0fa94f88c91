package org.vtm.datagen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Format 2 (program families) against format 1: a corpus written by the code before program
 * families existed (src/test/resources/org/vtm/datagen/corpus-v1, {@code GeneratorConfig.defaults(1,
 * 2, "chebyshev", 1, 2)}, seed 5, 6 records, shards of 4, batches of 2; written at commit 2ac1ca7's
 * parent by {@code CorpusWriter.write}) still reads, its records those of the random family today;
 * and a format-2 corpus round-trips the family, ρ and r/ρ of every record.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class CorpusFormatVersionsTest {

    static Path formatOneCorpus() throws URISyntaxException {
        return Path.of(CorpusFormatVersionsTest.class.getResource("corpus-v1/manifest.json").toURI()).getParent();
    }

    @Test
    void readsAFormatOneCorpusAsRandomProgramsWithoutPoles() throws Exception {
        CorpusReader reader = CorpusReader.open(formatOneCorpus());
        assertEquals(CorpusSchema.FORMAT_1, reader.manifest().schema());
        List<CorpusRecord> records = reader.records(CorpusFilter.ALL);
        assertEquals(6, records.size());
        CorpusGenerator today = new CorpusGenerator(GeneratorConfig.defaults(1, 2, "chebyshev", 1, 2), 5);
        for (CorpusRecord r : records) {
            assertEquals("random", r.programFamily());
            assertTrue(Double.isNaN(r.poleDistance()) && Double.isNaN(r.poleRatio()));
            assertEquals(today.record(r.index()), r, "the random family regenerates format 1's record " + r.index());
        }
        int[] seen = {0};
        reader.forEachBatch(CorpusFilter.ALL, b -> seen[0] += b.size());
        assertEquals(6, seen[0], "the flat batches read format 1 too");
    }

    @Test
    void formatTwoStoresTheFamilyAndThePoleOfEveryRecord(@TempDir Path tmp) throws IOException {
        GeneratorConfig c = GeneratorConfig.defaults(2, 2, "chebyshev", 1, 2).withProgramFamily(ProgramFamily.RATIONAL)
                .withPoleRatio(0.25, 0.75);
        CorpusGenerator g = new CorpusGenerator(c, 9);
        Path dir = tmp.resolve("rational");
        Manifest m = new CorpusWriter(g.layout(), 5, 2).write(dir, 7, 9, c.toJson(), g::record, null);
        assertEquals(CorpusSchema.FORMAT, m.schema());
        assertEquals("vtm.corpus/2", m.schema());
        assertEquals("rational", m.generator().path("program_family").asText());
        assertEquals(0.25, m.generator().path("pole_ratio_min").asDouble());
        assertEquals(0.75, m.generator().path("pole_ratio_max").asDouble());
        List<CorpusRecord> read = CorpusReader.open(dir).records(CorpusFilter.ALL);
        for (CorpusRecord r : read) {
            assertEquals(g.record(r.index()), r);
            assertEquals("rational", r.programFamily());
            assertTrue(r.poleRatio() >= 0.25 && r.poleRatio() <= 0.75, r.toString());
            assertEquals(r.radius() / r.poleDistance(), r.poleRatio(), 0.0);
        }
        assertTrue(Files.readString(dir.resolve(Manifest.FILE_NAME)).contains("\"program_family\" : \"rational\""));
    }

    @Test
    void aNewerManifestSchemaIsRefusedNamingTheVersionsRead(@TempDir Path tmp) throws Exception {
        Path copy = tmp.resolve("c");
        Files.createDirectories(copy);
        try (var files = Files.list(formatOneCorpus())) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, copy.resolve(f.getFileName().toString()));
            }
        }
        Path manifest = copy.resolve(Manifest.FILE_NAME);
        Files.writeString(manifest, Files.readString(manifest).replace("\"vtm.corpus/1\"", "\"vtm.corpus/3\""));
        CorpusFormatException e = org.junit.jupiter.api.Assertions.assertThrows(CorpusFormatException.class,
                () -> CorpusReader.open(copy));
        assertTrue(e.getMessage().contains("vtm.corpus/3") && e.getMessage().contains("vtm.corpus/2")
                && e.getMessage().contains("vtm.corpus/1"), e.getMessage());
    }
}
