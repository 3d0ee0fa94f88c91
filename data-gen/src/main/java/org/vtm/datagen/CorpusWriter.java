package org.vtm.datagen;

import org.vtm.artifacts.Provenance;
import org.vtm.artifacts.AtomicFiles;
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
 * {@code manifest.json} last. Re-running with the same configuration after an interruption (an
 * exception, or the process killed at any point) keeps the finished shards (after re-checking
 * their checksums), writes only the missing ones and produces the same bytes as an uninterrupted
 * run; temporary files a killed run left ({@code .NAME.partial-PID-TID}) are removed.
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

    /** The file name of shard {@code k} ({@link ShardInfo#fileName}). */
    public static String shardName(int k) {
        return ShardInfo.fileName(k);
    }

    /**
     * A shard written (or reused) by {@link #writeShard}: what the manifest records, plus how many
     * programs were rejected while computing it. Serializable, so distributed writers (Spark
     * tasks) can send it back to the process that commits the manifest.
     */
    public record WrittenShard(ShardInfo info, long rejected) implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
    }

    /** The number of shards a corpus of {@code count} records has with this writer's shard size. */
    public int shardCount(long count) {
        if (count < 1) {
            throw new IllegalArgumentException("--programs must be at least 1, got " + count);
        }
        long shards = (count + shardSize - 1) / shardSize;
        if (shards > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("--programs " + count + " needs more than 2^31 shards; raise --shard-size");
        }
        return (int) shards;
    }

    public int shardSize() {
        return shardSize;
    }

    /**
     * Checks {@code dir} before a run: returns its manifest if it already holds this complete
     * corpus, null if it holds no complete corpus (absent, empty or interrupted), and throws if it
     * holds a complete corpus of another configuration.
     */
    public Manifest existing(Path dir, long count, long seed, JsonNode generator) throws IOException {
        shardCount(count);
        Path manifestFile = dir.resolve(Manifest.FILE_NAME);
        if (!Files.exists(manifestFile)) {
            return null;
        }
        Manifest old = Manifest.read(dir);
        if (old.configHash().equals(configHash(seed, generator)) && old.records() == count) {
            return old;
        }
        throw new IllegalArgumentException(dir + " already holds a complete corpus with a different configuration "
                + "(seed " + old.seed() + ", " + old.records() + " records); choose another --out or delete it");
    }

    /**
     * Writes shard {@code k} of a corpus of {@code count} records into {@code dir}: records
     * {@code [k·shardSize, min((k+1)·shardSize, count))}, atomically, with its sidecar. A finished
     * shard of an interrupted run with the same configuration hash is kept (after re-checking its
     * checksums) instead. Safe to call for different {@code k} concurrently, from any process
     * sharing the file system; the same {@code k} always writes the same bytes.
     */
    public WrittenShard writeShard(Path dir, int k, long count, String configHash, LongFunction<CorpusRecord> source)
            throws IOException {
        int shards = shardCount(count);
        if (k < 0 || k >= shards) {
            throw new IllegalArgumentException("shard " + k + " is outside 0.." + (shards - 1) + " for " + count + " records");
        }
        Files.createDirectories(dir);
        long first = (long) k * shardSize;
        int size = (int) Math.min(shardSize, count - first);
        Path file = dir.resolve(shardName(k));
        ShardInfo info = reuse(file, configHash, first, size);
        if (info != null) {
            return new WrittenShard(info, sidecarRejected(file));
        }
        long[] shardRejected = {0};
        ExecutorService pool = threads <= 1 ? null : Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "vtm-generate");
            t.setDaemon(true);
            return t;
        });
        try {
            info = new ShardWriter(layout, batchRecords).write(file, first, size, (from, n) -> {
                List<CorpusRecord> batch = compute(pool, source, from, n);
                for (int j = 0; j < n; j++) {
                    CorpusRecord r = batch.get(j);
                    if (r.index() != from + j) {
                        throw new IllegalStateException("record source returned index " + r.index() + " for " + (from + j));
                    }
                    shardRejected[0] += r.rejectedBefore();
                }
                return batch;
            });
        } finally {
            if (pool != null) {
                pool.shutdownNow();
            }
        }
        writeSidecar(file, configHash, info, shardRejected[0]);
        return new WrittenShard(info, shardRejected[0]);
    }

    /**
     * Commits a corpus whose shards are all written: checks they are shards {@code 0 … s-1} with
     * consecutive records covering {@code 0 … count-1}, writes {@code manifest.json} atomically
     * (last: from then on readers accept the directory) and removes the sidecars.
     */
    public Manifest commit(Path dir, long count, long seed, JsonNode generator, List<WrittenShard> shards) throws IOException {
        int expected = shardCount(count);
        List<WrittenShard> sorted = new ArrayList<>(shards);
        sorted.sort(java.util.Comparator.comparingLong(w -> w.info().firstIndex()));
        if (sorted.size() != expected) {
            throw new IllegalStateException("cannot commit " + dir + ": " + sorted.size() + " shards written, expected " + expected);
        }
        long next = 0;
        long rejected = 0;
        List<ShardInfo> infos = new ArrayList<>();
        for (int k = 0; k < expected; k++) {
            ShardInfo info = sorted.get(k).info();
            if (info.firstIndex() != next || !info.file().equals(shardName(k))) {
                throw new IllegalStateException("cannot commit " + dir + ": shard " + k + " is " + info.file()
                        + " starting at record " + info.firstIndex() + ", expected " + shardName(k) + " starting at " + next);
            }
            next += info.records();
            rejected += sorted.get(k).rejected();
            infos.add(info);
        }
        if (next != count) {
            throw new IllegalStateException("cannot commit " + dir + ": shards hold " + next + " records, expected " + count);
        }
        Manifest manifest = new Manifest(Manifest.FORMAT, CorpusSchema.FORMAT, Provenance.vtmVersion(), Provenance.facts(),
                seed, generator, configHash(seed, generator), count, rejected, infos);
        manifest.write(dir);
        for (int k = 0; k < expected; k++) {
            Files.deleteIfExists(sidecar(dir.resolve(shardName(k))));
        }
        // the corpus is complete: temporary files of writers that were killed (or lost a race to a
        // retried attempt) are garbage now, whichever process made them
        AtomicFiles.removePartials(dir, CorpusWriter::isCorpusFile, false);
        return manifest;
    }

    /**
     * Writes records {@code 0 … count-1} produced by {@code source} into {@code dir}, shard by shard
     * in this process ({@link #writeShard} then {@link #commit}).
     *
     * @param generator the generator configuration as JSON (recorded in the manifest; its hash
     *     decides which existing shards can be kept)
     */
    public Manifest write(Path dir, long count, long seed, JsonNode generator, LongFunction<CorpusRecord> source,
            Progress progress) throws IOException {
        Manifest old = existing(dir, count, seed, generator);
        if (old != null) {
            return old;
        }
        Files.createDirectories(dir);
        // an earlier run killed mid-shard left its temporary file; a live writer's files are kept
        AtomicFiles.removePartials(dir, CorpusWriter::isCorpusFile, true);
        String configHash = configHash(seed, generator);
        int shards = shardCount(count);
        List<WrittenShard> written = new ArrayList<>();
        long rejected = 0;
        long done = 0;
        for (int k = 0; k < shards; k++) {
            WrittenShard w = writeShard(dir, k, count, configHash, source);
            written.add(w);
            rejected += w.rejected();
            done += w.info().records();
            if (progress != null) {
                progress.update(done, count, rejected);
            }
        }
        return commit(dir, count, seed, generator, written);
    }

    /** Records {@code first … first+size-1}, computed on {@code pool} (this thread if null), in index order. */
    private static List<CorpusRecord> compute(ExecutorService pool, LongFunction<CorpusRecord> source, long first, int size) {
        List<CorpusRecord> records = new ArrayList<>(size);
        if (pool == null) {
            for (long i = first; i < first + size; i++) {
                records.add(source.apply(i));
            }
            return records;
        }
        List<Future<CorpusRecord>> futures = new ArrayList<>(size);
        try {
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
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            futures.forEach(f -> f.cancel(true));
        }
    }

    /**
     * Whether {@code name} is one of the files a corpus writer creates in its directory: a shard,
     * a shard's sidecar or the manifest (temporary files for other names are not ours to remove).
     */
    static boolean isCorpusFile(String name) {
        return CORPUS_FILE.matcher(name).matches();
    }

    private static final java.util.regex.Pattern CORPUS_FILE =
            java.util.regex.Pattern.compile("shard-\\d{5,}\\.arrow|\\.shard-\\d{5,}\\.arrow\\.done|manifest\\.json");

    /** SHA-256 of the schema version, seed and generator configuration: which shards a resume may keep. */
    public static String configHash(long seed, JsonNode generator) {
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
