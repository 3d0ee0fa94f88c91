package org.vtm.datagen.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.vtm.datagen.CorpusGenerator;
import org.vtm.datagen.CorpusRecord;
import org.vtm.datagen.GeneratorConfig;
import org.vtm.datagen.ShardInfo;
import org.vtm.datagen.ShardWriter;

/**
 * Corpus generation throughput on one thread, split into its phases: computing records
 * (program drawing, expansion, composition, T_FX, oracle fit, errors) and writing them as an
 * Arrow shard (encoding, checksums, fsync, rename). Allocation per record comes from the JVM's
 * per-thread allocation counter.
 */
public final class GenerateBenchmark {

    /**
     * The measurement.
     *
     * @param records records generated in the timed round
     * @param computeSeconds time computing them
     * @param writeSeconds time writing them to one shard
     * @param bytes shard size
     * @param allocatedBytesPerRecord heap allocated per record while computing (-1 if unavailable)
     */
    public record Result(int records, double computeSeconds, double writeSeconds, long bytes, double allocatedBytesPerRecord) {
        public double recordsPerSecond() {
            return records / (computeSeconds + writeSeconds);
        }

        public double bytesPerRecord() {
            return (double) bytes / records;
        }

        public double writeMegabytesPerSecond() {
            return bytes / 1e6 / writeSeconds;
        }

        /** The closing line other tools parse. */
        public String toLine() {
            return String.format(Locale.ROOT, "RESULT generate records_per_s=%.1f bytes_per_record=%.0f", recordsPerSecond(), bytesPerRecord());
        }

        public String details() {
            double total = computeSeconds + writeSeconds;
            return String.format(Locale.ROOT,
                    "records=%d compute=%.3fs (%.1f%%) write=%.3fs (%.1f%%) write_MB_per_s=%.1f allocated_per_record=%.0f bytes",
                    records, computeSeconds, 100 * computeSeconds / total, writeSeconds, 100 * writeSeconds / total,
                    writeMegabytesPerSecond(), allocatedBytesPerRecord);
        }
    }

    private GenerateBenchmark() {
    }

    /** Warms up on {@code warmup} records, then measures {@code records} records (d, n, family, steps from {@code config}). */
    public static Result run(GeneratorConfig config, long seed, int warmup, int records, Path scratch) throws IOException {
        CorpusGenerator generator = new CorpusGenerator(config, seed);
        ShardWriter writer = new ShardWriter(generator.layout(), ShardWriter.DEFAULT_BATCH_RECORDS);
        Files.createDirectories(scratch);
        try {
            List<CorpusRecord> warm = new ArrayList<>();
            for (int i = 0; i < warmup; i++) {
                warm.add(generator.record(1_000_000L + i));
            }
            writer.write(scratch.resolve("warmup.arrow"), warm);

            com.sun.management.ThreadMXBean threads = allocationCounter();
            long tid = Thread.currentThread().getId();
            long alloc0 = threads == null ? 0 : threads.getThreadAllocatedBytes(tid);
            long t0 = System.nanoTime();
            List<CorpusRecord> batch = new ArrayList<>(records);
            for (int i = 0; i < records; i++) {
                batch.add(generator.record(i));
            }
            long t1 = System.nanoTime();
            long alloc1 = threads == null ? 0 : threads.getThreadAllocatedBytes(tid);
            ShardInfo info = writer.write(scratch.resolve("shard.arrow"), batch);
            long t2 = System.nanoTime();
            double perRecord = threads == null ? -1 : (double) (alloc1 - alloc0) / records;
            return new Result(records, (t1 - t0) / 1e9, (t2 - t1) / 1e9, info.bytes(), perRecord);
        } finally {
            try (Stream<Path> files = Files.walk(scratch)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static com.sun.management.ThreadMXBean allocationCounter() {
        if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t && t.isThreadAllocatedMemorySupported()) {
            t.setThreadAllocatedMemoryEnabled(true);
            return t;
        }
        return null;
    }
}
