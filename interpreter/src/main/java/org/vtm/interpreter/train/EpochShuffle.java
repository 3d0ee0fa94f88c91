package org.vtm.interpreter.train;

import java.util.SplittableRandom;

/**
 * Deterministic per-epoch data order: the permutation of epoch {@code e} depends only on
 * {@code (seed, e)}, so a resumed run visits the data in exactly the order an uninterrupted run
 * would, without storing any random-number-generator state.
 */
public final class EpochShuffle {
    private EpochShuffle() {
    }

    /** The seed of the generator used for epoch {@code epoch} (a SplitMix64 mix of both values). */
    public static long epochSeed(long seed, int epoch) {
        long z = seed + 0x9E3779B97F4A7C15L * (epoch + 1L);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A uniformly random permutation of {@code 0 … n-1} (Fisher–Yates) for this seed and epoch. */
    public static int[] permutation(long seed, int epoch, int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be non-negative, got " + n);
        }
        if (epoch < 0) {
            throw new IllegalArgumentException("epoch must be non-negative, got " + epoch);
        }
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        SplittableRandom random = new SplittableRandom(epochSeed(seed, epoch));
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int tmp = p[i];
            p[i] = p[j];
            p[j] = tmp;
        }
        return p;
    }
}
