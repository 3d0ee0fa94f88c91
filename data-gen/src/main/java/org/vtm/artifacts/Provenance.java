package org.vtm.artifacts;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Enumeration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/** What every artifact records about the process that wrote it. */
public final class Provenance {
    private static final String PACKAGE_DIR = "org/vtm";
    private static volatile String codeHash;
    private static volatile Map<String, String> source;

    private Provenance() {
    }

    /**
     * SHA-256 over the compiled VTM classes this process runs: every {@code .class} under
     * {@code org/vtm/} in the class path's directories and jars (test classes excluded), by name and
     * content, independent of where they lie. It changes with any change to the code, so results
     * computed by other code are never mistaken for current ones. Computed once per process.
     */
    public static String codeHash() {
        String h = codeHash;
        if (h == null) {
            synchronized (Provenance.class) {
                if (codeHash == null) {
                    codeHash = computeCodeHash();
                }
                h = codeHash;
            }
        }
        return h;
    }

    private static String computeCodeHash() {
        Map<String, String> classes = new TreeMap<>();
        try {
            Enumeration<URL> roots = Provenance.class.getClassLoader().getResources(PACKAGE_DIR);
            while (roots.hasMoreElements()) {
                URL url = roots.nextElement();
                if (url.getPath().contains("/test-classes/")) {
                    continue;
                }
                if (url.getProtocol().equals("file")) {
                    Path root = Path.of(url.toURI()).getParent().getParent();
                    try (Stream<Path> s = Files.walk(root.resolve(PACKAGE_DIR))) {
                        for (Path p : s.filter(p -> p.toString().endsWith(".class")).toList()) {
                            classes.put(root.relativize(p).toString().replace('\\', '/'), sha256(Files.readAllBytes(p)));
                        }
                    }
                } else if (url.getProtocol().equals("jar")) {
                    JarURLConnection c = (JarURLConnection) url.openConnection();
                    c.setUseCaches(false);
                    try (JarFile jar = new JarFile(Path.of(c.getJarFileURL().toURI()).toFile())) {
                        for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements();) {
                            JarEntry entry = e.nextElement();
                            if (entry.getName().startsWith(PACKAGE_DIR + "/") && entry.getName().endsWith(".class")) {
                                try (InputStream in = jar.getInputStream(entry)) {
                                    classes.put(entry.getName(), sha256(in.readAllBytes()));
                                }
                            }
                        }
                    }
                }
            }
        } catch (IOException | URISyntaxException e) {
            throw new IllegalStateException("cannot read the VTM classes to hash them: " + e.getMessage(), e);
        }
        StringBuilder all = new StringBuilder();
        classes.forEach((name, hash) -> all.append(name).append(' ').append(hash).append('\n'));
        return sha256(all.toString().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Where the running code came from: {@code code_sha256} ({@link #codeHash}), and when it runs
     * from a git checkout (the launcher's {@code vtm.home}, else the working directory's repository)
     * {@code git_commit} and {@code git_dirty} (whether tracked files differ from that commit), each
     * {@code "unknown"} when git or the checkout is not available.
     */
    public static Map<String, String> source() {
        Map<String, String> s = source;
        if (s == null) {
            Map<String, String> m = new LinkedHashMap<>();
            m.put("code_sha256", codeHash());
            String home = System.getProperty("vtm.home", System.getProperty("user.dir"));
            String commit = git(home, "rev-parse", "HEAD");
            m.put("git_commit", commit == null ? "unknown" : commit);
            String status = commit == null ? null : git(home, "status", "--porcelain", "--untracked-files=no");
            m.put("git_dirty", status == null ? "unknown" : String.valueOf(!status.isEmpty()));
            source = s = Map.copyOf(m);
        }
        return new LinkedHashMap<>(s);
    }

    /** The output of a git command in {@code dir}, trimmed, or null if it fails or takes over 10 s. */
    private static String git(String dir, String... args) {
        String[] cmd = new String[args.length + 3];
        cmd[0] = "git";
        cmd[1] = "-C";
        cmd[2] = dir;
        System.arraycopy(args, 0, cmd, 3, args.length);
        try {
            Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            return p.exitValue() == 0 ? new String(out, StandardCharsets.UTF_8).trim() : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("this JVM has no SHA-256", e);
        }
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
