package org.vtm.transforms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The build gives every test a time limit (root {@code pom.xml}, Surefire's
 * {@code configurationParameters}): without it a hung Spark, ND4J or browser test would hold CI
 * until someone kills it. This reads the configuration JUnit actually runs with, so removing or
 * breaking the setting fails here.
 */
class TestTimeLimitsTest {

    static final String DEFAULT_TIMEOUT = "junit.jupiter.execution.timeout.default";
    static final String THREAD_DUMP = "junit.jupiter.execution.timeout.threaddump.enabled";
    static final String MODE = "junit.jupiter.execution.timeout.mode";

    private static String timeout;
    private static String threadDump;
    private static String mode;

    @RegisterExtension
    static final BeforeEachCallback READ_CONFIGURATION = context -> {
        timeout = context.getConfigurationParameter(DEFAULT_TIMEOUT).orElse(null);
        threadDump = context.getConfigurationParameter(THREAD_DUMP).orElse(null);
        mode = context.getConfigurationParameter(MODE).orElse("enabled");
    };

    @Test
    void everyTestHasADefaultTimeoutOfAFewMinutes() {
        assertNotNull(timeout, DEFAULT_TIMEOUT + " is not set: tests can hang CI (see the root pom.xml)");
        Duration d = parse(timeout);
        assertTrue(d.compareTo(Duration.ofSeconds(1)) >= 0 && d.compareTo(Duration.ofMinutes(15)) <= 0,
                DEFAULT_TIMEOUT + " = " + timeout + ": expected between 1 s and 15 min");
        assertEquals("enabled", mode, MODE + " switches the time limits off");
    }

    @Test
    void aTimeoutPrintsAThreadDump() {
        assertEquals("true", threadDump, THREAD_DUMP + ": a timed-out test should show where it hung");
    }

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ns|μs|ms|s|m|h|d)?", Pattern.CASE_INSENSITIVE);
    private static final Map<String, Duration> UNITS = Map.of("ns", Duration.ofNanos(1), "μs", Duration.ofNanos(1000),
            "ms", Duration.ofMillis(1), "s", Duration.ofSeconds(1), "m", Duration.ofMinutes(1), "h", Duration.ofHours(1),
            "d", Duration.ofDays(1));

    /** JUnit's timeout syntax: a number and an optional unit, seconds by default. */
    static Duration parse(String text) {
        Matcher m = DURATION.matcher(text.strip());
        assertTrue(m.matches(), "not a JUnit timeout: '" + text + "'");
        String unit = m.group(2) == null ? "s" : m.group(2).toLowerCase(Locale.ROOT);
        return UNITS.get(unit).multipliedBy(Long.parseLong(m.group(1)));
    }

    @Test
    void parsesJunitsSyntax() {
        assertEquals(Duration.ofMinutes(5), parse("5 m"));
        assertEquals(Duration.ofSeconds(90), parse("90"));
        assertEquals(Duration.ofMillis(250), parse("250ms"));
    }
}
