package org.vtm.evaluation.bench;

import picocli.CommandLine.Option;

/** The warm-up and timing options shared by {@code vtm bench expand} and {@code vtm bench compose}. */
final class BenchTiming {

    @Option(names = "--warmup", defaultValue = "10",
            description = "Least number of untimed warm-up rounds of each side; warm-up continues until the round times "
                    + "stop falling (median of a window of 5 rounds within 2 %% of the previous window's) "
                    + "(default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--max-warmup", defaultValue = "30", paramLabel = "SECONDS",
            description = "Warm-up time limit per configuration in seconds; reached, the timing is reported as NOT steady "
                    + "(default: ${DEFAULT-VALUE}).")
    double maxWarmupSeconds;

    @Option(names = "--rounds", defaultValue = "15",
            description = "Timed rounds of each side, alternating; the median and spread are reported (default: ${DEFAULT-VALUE}).")
    int rounds;

    /** The settings, or a usage error naming the option. */
    SteadyState.Settings settings(picocli.CommandLine commandLine) {
        if (warmup < 0) {
            throw new picocli.CommandLine.ParameterException(commandLine, "--warmup must be >= 0, got " + warmup);
        }
        if (!(maxWarmupSeconds >= 0) || Double.isInfinite(maxWarmupSeconds)) {
            throw new picocli.CommandLine.ParameterException(commandLine,
                    "--max-warmup must be a finite number of seconds >= 0, got " + maxWarmupSeconds);
        }
        if (rounds < 1) {
            throw new picocli.CommandLine.ParameterException(commandLine, "--rounds must be >= 1, got " + rounds);
        }
        return SteadyState.Settings.of(warmup, maxWarmupSeconds, rounds);
    }
}
