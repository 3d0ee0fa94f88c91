package org.vtm.datagen;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/** What every artifact records about the process that wrote it. */
public final class Provenance {
    private Provenance() {
    }

    /** The VTM version (from the build). */
    public static String vtmVersion() {
        try (InputStream in = Provenance.class.getResourceAsStream("/org/vtm/datagen/vtm-version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Java, OS and architecture of this process; no timestamps, so outputs stay reproducible. */
    public static Map<String, String> facts() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("java_version", System.getProperty("java.version"));
        m.put("java_vendor", System.getProperty("java.vendor"));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        m.put("arch", System.getProperty("os.arch"));
        return m;
    }
}
