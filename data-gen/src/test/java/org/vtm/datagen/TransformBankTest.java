package org.vtm.datagen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vtm.transforms.BasisTransform;
import org.vtm.transforms.FunctionFamily;
import org.vtm.transforms.FunctionSet;

class TransformBankTest {

    @Test
    void roundTripKeepsEveryValueAndOrdersRows(@TempDir Path dir) throws IOException {
        List<TransformBank.Entry> entries = new ArrayList<>();
        for (String f : List.of("legendre", "chebyshev")) {
            for (int d = 1; d <= 2; d++) {
                for (int n = 2; n <= 3; n++) {
                    entries.add(TransformBank.Entry.compute(f, d, n));
                }
            }
        }
        entries.add(new TransformBank.Entry("monomial", 9, 9, TransformBank.Entry.REFUSED, "", 3e15, 0, 0, 5, 5,
                new double[0], new double[0], "numerically singular (synthetic)"));
        TransformBank.write(dir, entries, Map.of("families", List.of("legendre", "chebyshev")));
        TransformBank bank = TransformBank.read(dir);
        assertEquals(entries.size(), bank.entries().size());
        assertEquals("chebyshev", bank.entries().get(0).family(), "rows sorted by family, then d, then n");
        for (TransformBank.Entry e : entries) {
            assertEquals(e, bank.find(e.family(), e.dim(), e.order()).orElseThrow());
        }
        // independent check against the transforms module, and T_FX · T_XF = I for square sets
        BasisTransform t = BasisTransform.of(FunctionSet.of(FunctionFamily.legendre(), 2, 3));
        assertArrayEquals(t.tfx(), bank.tfx("legendre", 2, 3));
        TransformBank.Entry e = bank.find("legendre", 2, 3).orElseThrow();
        int m = e.rows();
        double[] txf = e.txf();
        double[] tfx = e.tfx();
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                double s = 0;
                for (int k = 0; k < m; k++) {
                    s += tfx[i * m + k] * txf[k * m + j];
                }
                assertEquals(i == j ? 1.0 : 0.0, s, 1e-12, "T_FX·T_XF at " + i + "," + j); // well-conditioned: κ small
            }
        }
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class, () -> bank.tfx("monomial", 9, 9));
        assertTrue(refused.getMessage().contains("synthetic"), refused.getMessage());
        assertThrows(IllegalArgumentException.class, () -> bank.tfx("hermite", 1, 2));
    }

    @Test
    void incompleteOrDamagedBanksAreRefused(@TempDir Path dir) throws IOException {
        TransformBank.write(dir, List.of(TransformBank.Entry.compute("chebyshev", 1, 3)), Map.of());
        byte[] bytes = Files.readAllBytes(dir.resolve(TransformBank.FILE_NAME));
        bytes[bytes.length / 2] ^= 1;
        Files.write(dir.resolve(TransformBank.FILE_NAME), bytes);
        CorpusFormatException damaged = assertThrows(CorpusFormatException.class, () -> TransformBank.read(dir));
        assertTrue(damaged.getMessage().contains("SHA-256"), damaged.getMessage());
        Files.delete(dir.resolve(TransformBank.MANIFEST_NAME));
        CorpusFormatException missing = assertThrows(CorpusFormatException.class, () -> TransformBank.read(dir));
        assertTrue(missing.getMessage().contains("incomplete"), missing.getMessage());
        assertFalse(Files.exists(dir.resolve(TransformBank.MANIFEST_NAME)));
    }

    @Test
    void theManifestCannotNameAFileOutsideTheBank(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("tbank");
        TransformBank.write(dir, List.of(TransformBank.Entry.compute("chebyshev", 1, 3)), Map.of());
        // a copy of the bank file outside the bank, with the right checksum: reading it would succeed
        Files.copy(dir.resolve(TransformBank.FILE_NAME), tmp.resolve("outside.arrow"));
        Path manifest = dir.resolve(TransformBank.MANIFEST_NAME);
        String good = Files.readString(manifest);
        String goodEntry = "\"file\" : \"bank.arrow\"";
        assertTrue(good.contains(goodEntry), good);
        String outside = tmp.resolve("outside.arrow").toString();
        String[][] bad = {
            {"\"file\" : \"../outside.arrow\"", "contains '..'"},
            {"\"file\" : \"" + outside + "\"", "is a path"},
            {"\"file\" : \"sub/bank.arrow\"", "is a path"},
            {"\"file\" : \"..\"", "contains '..'"},
            {"\"file\" : 7", "is missing or empty"},
            {"\"nofile\" : \"bank.arrow\"", "is missing or empty"},
        };
        for (String[] c : bad) {
            Files.writeString(manifest, good.replace(goodEntry, c[0]));
            CorpusFormatException e = assertThrows(CorpusFormatException.class, () -> TransformBank.read(dir), c[0]);
            String msg = e.getMessage();
            assertTrue(msg.contains(manifest.toString()) && msg.contains("'file'") && msg.contains(c[1])
                    && msg.contains("plain file name") && msg.contains(TransformBank.FILE_NAME), c[0] + " -> " + msg);
        }
        Files.writeString(manifest, good);
        assertEquals(1, TransformBank.read(dir).entries().size());
    }
}
