package org.vtm.datagen;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongFunction;

/**
 * Writes a corpus directory: shards of consecutive records, each written atomically with a small
 * sidecar ({@code .shard-00000.arrow.done}) recording the configuration hash and checksums, then
 * {@code manifest.json} last. Re-running with the same configuration after an interruption keeps
 * the finished shards (after re-checking their checksums) and writes only the missing ones.
 *
 * <p>Record {@code i} must depend only on (seed, i): shard boundaries then never change the
 * records, and the same configuration writes the same bytes.
 */
public final class CorpusWriter {

    /** Called after each shard with the records done so far and the total. */
    @FunctionalInterface
    public interface Progress {
        void update(long done, long total, long rejectedSoFar);
    }

    private final CorpusLayout layout;
    private final int shardSize;
    private final int batchRecords;
    private final int threads;

    public CorpusWriter(CorpusLayout layout, int shardSize, int batchRecords) {
        this(layout, shardSize, batchRecords, 1);
    }

    /** @param threads threads computing records (output is the same for any count) */
    public CorpusWriter(CorpusLayout layout, int shardSize, int batchRecords, int threads) {
        if (shardSize < 1) {
            throw new IllegalArgumentException("--shard-size must be at least 1, got " + shardSize);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("--threads must be at least 1, got " + threads);
        }
        this.layout = layout;
        this.shardSize = shardSize;
        this.batchRecords = batchRecords;
        this.threads = threads;
    }

    /** The file name of shard {@code k}. */
    public static String shardName(int k) {
        return String.format("shard-%05d.arrow", k);
    }

    /**
     * Writes records {@code 0 … count-1} produced by {@code source} into {@code dir}.
     *
     * @param generator the generator configuration as JSON (recorded in the manifest; its hash
     *     decides which existing shards can be kept)
     */
    public Manifest write(Path dir, long count, long seed, JsonNode generator, LongFunction<CorpusRecord> source,
            Progress progress) throws IOException {
        if (count < 1) {
            throw new IllegalArgumentException("--programs must be at least 1, got " + count);
        }
        Files.createDirectories(dir);
        Path manifestFile = dir.resolve(Manifest.FILE_NAME);
        String configHash = configHash(seed, generator);
        if (Files.exists(manifestFile)) {
            Manifest old = Manifest.read(dir);
            if (old.configHash().equals(configHash) && old.records() == count) {
                return old;
            }
            throw new IllegalArgumentException(dir + " already holds a complete corpus with a different configuration "
                    + "(seed " + old.seed() + ", " + old.records() + " records); choose another --out or delete it");
        }
        int shards = (int) ((count + shardSize - 1) / shardSize);
        List<ShardInfo> infos = new ArrayList<>();
        long rejected = 0;
        long done = 0;
        ShardWriter writer = new ShardWriter(layout, batchRecords);
        for (int k = 0; k < shards; k++) {
            long first = (long) k * shardSize;
            int size = (int) Math.min(shardSize, count - first);
            Path file = dir.resolve(shardName(k));
            ShardInfo info = reuse(file, configHash, first, size);
            long shardRejected;
            if (info == null) {
                List<CorpusRecord> records = compute(source, first, size);
                shardRejected = 0;
                for (int j = 0; j < size; j++) {
                    CorpusRecord r = records.get(j);
                    if (r.index() != first + j) {
                        throw new IllegalStateException("record source returned index " + r.index() + " for " + (first + j));
                    }
                    shardRejected += r.rejectedBefore();
                }
                info = writer.write(file, records);
                writeSidecar(file, configHash, info, shardRejected);
            } else {
                shardRejected = sidecarRejected(file);
            }
            infos.add(info);
            rejected += shardRejected;
            done += size;
            if (progress != null) {
                progress.update(done, count, rejected);
            }
        }
        Manifest manifest = new Manifest(Manifest.FORMAT, CorpusSchema.FORMAT, Provenance.vtmVersion(), Provenance.facts(),
                seed, generator, configHash, count, rejected, infos);
        manifest.write(dir);
        for (int k = 0; k < shards; k++) {
            Files.deleteIfExists(sidecar(dir.resolve(shardName(k))));
        }
        return manifest;
    }

    /** Records {@code first … first+size-1}, computed on {@code threads} threads, in index order. */
    private List<CorpusRecord> compute(LongFunction<CorpusRecord> source, long first, int size) {
        List<CorpusRecord> records = new ArrayList<>(size);
        if (threads <= 1) {
            for (long i = first; i < first + size; i++) {
                records.add(source.apply(i));
            }
            return records;
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "vtm-generate");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<CorpusRecord>> futures = new ArrayList<>(size);
            for (long i = first; i < first + size; i++) {
                long index = i;
                futures.add(pool.submit(() -> source.apply(index)));
            }
            for (Future<CorpusRecord> f : futures) {
                records.add(f.get());
            }
            return records;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while generating records", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    static String configHash(long seed, JsonNode generator) {
        return AtomicFiles.sha256((CorpusSchema.FORMAT + "\n" + seed + "\n" + generator.toString()).getBytes(StandardCharsets.UTF_8));
    }

    private static Path sidecar(Path shard) {
        return shard.resolveSibling("." + shard.getFileName() + ".done");
    }

    private static void writeSidecar(Path shard, String configHash, ShardInfo info, long rejected) throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("config_hash", configHash);
        m.put("rejected", rejected);
        m.put("shard", info);
        AtomicFiles.write(sidecar(shard), Manifest.JSON.writeValueAsBytes(m));
    }

    private static long sidecarRejected(Path shard) throws IOException {
        return Manifest.JSON.readTree(sidecar(shard).toFile()).path("rejected").asLong();
    }

    /** A finished shard from an interrupted run with the same configuration, or null. */
    private static ShardInfo reuse(Path shard, String configHash, long first, int size) throws IOException {
        Path side = sidecar(shard);
        if (!Files.exists(shard) || !Files.exists(side)) {
            return null;
        }
        JsonNode node = Manifest.JSON.readTree(side.toFile());
        if (!configHash.equals(node.path("config_hash").asText())) {
            return null;
        }
        ShardInfo info = Manifest.JSON.treeToValue(node.path("shard"), ShardInfo.class);
        if (info.firstIndex() != first || info.records() != size) {
            return null;
        }
        try {
            CorpusReader.verifyChecksums(shard, info);
        } catch (CorpusFormatException e) {
            return null;
        }
        return info;
    }
}
