package org.vtm.interpreter.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The exchange directory: what it holds, and that deleting it removes only what VTM and the scripts wrote. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TorchExchangeTest {

    private static Path written(Path parent) throws IOException {
        Path dir = parent.resolve("exchange");
        Map<String, INDArray> arrays = new LinkedHashMap<>();
        arrays.put("a", Nd4j.createFromArray(1.0, 2.5, -3.0).reshape(3, 1));
        TorchExchange.write(dir, TorchExchange.manifest(DataType.FLOAT), arrays, TorchBridge.class, TorchBridge.SCRIPT);
        return dir;
    }

    @Test
    void writeLeavesTheManifestTheArraysAndBothScripts(@TempDir Path parent) throws IOException {
        Path dir = written(parent);
        try (var files = Files.list(dir)) {
            assertEquals(List.of("a.bin", "manifest.json", TorchExchange.HELPER, TorchBridge.SCRIPT),
                    files.map(f -> f.getFileName().toString()).sorted().toList());
        }
        String manifest = Files.readString(dir.resolve("manifest.json"));
        assertTrue(manifest.contains("\"dtype\" : \"float32\"") && manifest.contains(TorchExchange.FORMAT), manifest);
        assertEquals(24, Files.size(dir.resolve("a.bin"))); // three float64
    }

    @Test
    void deleteRemovesTheDirectoryWithTheScriptsAnswer(@TempDir Path parent) throws IOException {
        Path dir = written(parent);
        Files.createDirectories(dir.resolve("out"));
        Files.writeString(dir.resolve("out/out.json"), "{}");
        Files.write(dir.resolve("out/w.bin"), new byte[8]);
        TorchExchange.delete(dir);
        assertFalse(Files.exists(dir));
    }

    @Test
    void deleteKeepsWhatVtmDidNotWrite(@TempDir Path parent) throws IOException {
        Path dir = written(parent);
        Files.writeString(dir.resolve("notes.txt"), "mine");
        TorchExchange.delete(dir);
        assertEquals("mine", Files.readString(dir.resolve("notes.txt")));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count());
        }
    }
}
