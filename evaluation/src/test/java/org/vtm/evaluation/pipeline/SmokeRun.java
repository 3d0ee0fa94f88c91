package org.vtm.evaluation.pipeline;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.vtm.evaluation.cli.VtmMain;

/**
 * The smoke pipeline, run once per test JVM through the real command line
 * ({@code vtm pipeline --preset smoke}) into {@code target/smoke-run}; tests share it.
 */
final class SmokeRun {
    static final Path DIR = Path.of("target", "smoke-run").toAbsolutePath();
    private static Result first;

    record Result(int exitCode, String output, String errors, Path dir) {
    }

    private SmokeRun() {
    }

    static synchronized Result get() throws IOException {
        if (first == null) {
            if (Files.exists(DIR)) {
                try (java.util.stream.Stream<Path> s = Files.walk(DIR)) { // the test's own output
                    for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            }
            first = run("pipeline", "--out", DIR.toString(), "--preset", "smoke");
        }
        return first;
    }

    /** Runs {@code vtm args…} in-process, capturing its output. */
    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = VtmMain.commandLine(new PrintWriter(out, true), new PrintWriter(err, true)).execute(args);
        return new Result(code, out.toString(), err.toString(), DIR);
    }
}
