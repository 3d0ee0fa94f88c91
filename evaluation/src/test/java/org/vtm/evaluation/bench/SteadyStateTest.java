package org.vtm.evaluation.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SteadyStateTest {

    /** A clock advanced only by the rounds: each round "takes" the time its schedule says. */
    private static final class FakeRound implements SteadyState.Round {
        private final long[] clock;
        private final java.util.function.IntToLongFunction schedule;
        int calls;

        FakeRound(long[] clock, java.util.function.IntToLongFunction schedule) {
            this.clock = clock;
            this.schedule = schedule;
        }

        @Override
        public double run() {
            clock[0] += schedule.applyAsLong(calls++);
            return 1.0;
        }
    }

    @Test
    void warmsUntilTheRoundTimeStopsFallingThenReportsTheMedian() {
        long[] clock = {0};
        // the slow side halves its time every 5 rounds until round 40, then stays at 1000 ns
        FakeRound slowToWarm = new FakeRound(clock, i -> i < 40 ? 1000L << (8 - i / 5) : 1000L);
        FakeRound flat = new FakeRound(clock, i -> 500L + (i % 3));
        SteadyState timer = new SteadyState(new SteadyState.Settings(10, Long.MAX_VALUE, 5, 0.02, 7),
                () -> clock[0]);
        SteadyState.Timing[] t = timer.measure(slowToWarm, flat);
        assertTrue(t[0].steady());
        // rounds 40..44 are the first at 1000 ns (still faster than 35..39); 45..49 are no faster: steady
        assertEquals(50, t[0].warmupRounds());
        assertEquals(1000.0, t[0].medianNanos());
        assertEquals(0.0, t[0].relativeSpread());
        assertEquals(7, t[0].roundNanos().length);
        assertEquals(501.0, t[1].medianNanos(), 1.0);
        assertEquals(50 + 7, slowToWarm.calls);
        assertEquals(50 + 7, flat.calls);
    }

    @Test
    void aRoundThatKeepsGettingFasterIsReportedAsNotSteadyAtTheTimeLimit() {
        long[] clock = {0};
        FakeRound falling = new FakeRound(clock, i -> Math.max(1, 1_000_000L - 10_000L * i));
        SteadyState timer = new SteadyState(new SteadyState.Settings(0, 5_000_000L, 5, 0.02, 3), () -> clock[0]);
        SteadyState.Timing t = timer.measure(falling)[0];
        assertFalse(t.steady());
        assertTrue(t.warmupRounds() <= 10, "stopped at the limit, after " + t.warmupRounds());
        assertTrue(t.describe(1, "op").contains("NOT steady"), t.describe(1, "op"));
    }

    @Test
    void quantilesInterpolate() {
        SteadyState.Timing t = new SteadyState.Timing(new long[] {40, 10, 30, 20}, 0, true);
        assertEquals(25.0, t.medianNanos());
        assertEquals(17.5, t.quantile(0.25));
        assertEquals(32.5, t.quantile(0.75));
        assertEquals(0.6, t.relativeSpread(), 1e-12);
    }
}
