package org.vtm.artifacts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The provenance a reader can check: the code's hash and the git commit it was built from. */
class ProvenanceTest {

    @Test
    void theCodeHashCoversTheCompiledClasses() {
        String h = Provenance.codeHash();
        assertTrue(h.matches("[0-9a-f]{64}"), h);
        assertEquals(h, Provenance.codeHash(), "stable within a process");
        // the hash of no classes at all would be the SHA-256 of the empty string
        assertNotEquals(AtomicFiles.sha256(new byte[0]), h);
    }

    @Test
    @Timeout(60)
    void theSourceNamesTheGitCommitOfThisCheckout() throws Exception {
        Map<String, String> s = Provenance.source();
        assertEquals(Provenance.codeHash(), s.get("code_sha256"));
        Process git = new ProcessBuilder("git", "rev-parse", "HEAD").redirectErrorStream(true).start();
        String head = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(git.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, git.exitValue(), "the tests run inside the project's git checkout: " + head);
        assertEquals(head, s.get("git_commit"));
        assertTrue(s.get("git_dirty").equals("true") || s.get("git_dirty").equals("false"), s.toString());
    }
}
