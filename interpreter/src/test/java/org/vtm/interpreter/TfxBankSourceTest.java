package org.vtm.interpreter;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
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
    void aDirectoryWithoutABankIsRefused(@TempDir Path dir) {
        Exception e = assertThrows(Exception.class, () -> TfxSource.bank(dir.resolve("none")));
        assertTrue(e.getMessage().contains("none"), e.getMessage());
    }
}
