package org.vtm.interpreter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vtm.datagen.CorpusFormatException;
import org.vtm.datagen.TransformBank;

/** T_FX read from a vtm.tbank/1 bank is the computed T_FX, and bad requests name the bank and entry. */
class TfxBankSourceTest {

    @Test
    void bankGivesTheComputedMatrixBitForBit(@TempDir Path dir) throws Exception {
        TransformBank.write(dir, List.of(TransformBank.Entry.compute("chebyshev", 2, 3),
                TransformBank.Entry.compute("legendre", 1, 4)), Map.of("test", true));
        TfxSource bank = TfxSource.bank(dir);
        double[] fromBank = bank.tfx("chebyshev", 2, 3);
        assertArrayEquals(TfxSource.computed().tfx("chebyshev", 2, 3), fromBank);
        assertEquals(TfxSource.checksum(TfxSource.computed().tfx("legendre", 1, 4)),
                TfxSource.checksum(bank.tfx("LEGENDRE", 1, 4)), "family names are case-insensitive");
        assertTrue(bank.describe().startsWith("bank:"));

        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> bank.tfx("chebyshev", 2, 4));
        assertTrue(missing.getMessage().contains("no entry for family chebyshev, d=2, n=4"), missing.getMessage());
    }

    @Test
    void aDirectoryWithoutABankIsRefused(@TempDir Path dir) throws Exception {
        Path manifest = dir.resolve("none").resolve(TransformBank.MANIFEST_NAME);
        CorpusFormatException e = assertThrows(CorpusFormatException.class, () -> TfxSource.bank(dir.resolve("none")));
        assertEquals(manifest, e.file());
        assertEquals(manifest + ": missing: the transform bank is incomplete (an interrupted run leaves no manifest; "
                + "re-run the same command)", e.getMessage());

        Path damaged = dir.resolve("damaged");
        Files.createDirectories(damaged);
        Files.writeString(damaged.resolve(TransformBank.MANIFEST_NAME), "{\"format\": ");
        e = assertThrows(CorpusFormatException.class, () -> TfxSource.bank(damaged));
        assertEquals(damaged.resolve(TransformBank.MANIFEST_NAME), e.file());
        assertTrue(e.getMessage().startsWith(damaged.resolve(TransformBank.MANIFEST_NAME) + ": not valid JSON"),
                e.getMessage());
    }
}
