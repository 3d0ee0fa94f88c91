package org.vtm.datagen;

import java.util.List;

/**
 * A written shard as the manifest records it.
 *
 * @param file the shard's file name, relative to the corpus directory
 * @param firstIndex the record index of its first record
 * @param records the number of records
 * @param bytes the file size
 * @param sha256 SHA-256 of the whole file
 * @param batchSha256 SHA-256 of each record batch's bytes (message and body), in file order, so
 *     a damaged file can be narrowed down to the batch
 */
public record ShardInfo(String file, long firstIndex, int records, long bytes, String sha256, List<String> batchSha256)
        implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    public ShardInfo {
        batchSha256 = List.copyOf(batchSha256);
    }

    /** The file name of shard {@code k}, {@code shard-00000.arrow} for {@code k = 0}. */
    public static String fileName(int k) {
        return String.format("shard-%05d.arrow", k);
    }
}
