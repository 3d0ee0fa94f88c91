package org.vtm.interpreter;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.vtm.artifacts.AtomicFiles;
import org.vtm.datagen.TransformBank;
import org.vtm.transforms.BasisTransform;
import org.vtm.transforms.FunctionFamily;
import org.vtm.transforms.FunctionSet;

/**
 * Where the fixed {@code T_FX} comes from: computed here ({@link #computed()}) or read from a
 * transform bank ({@link #bank(Path)}). The matrix is {@code M×M}, row-major, {@code T_FX[β][α]}.
 */
public interface TfxSource {

    /** {@code T_FX} for the square set of {@code family}, {@code d}, {@code n}. */
    double[] tfx(String family, int dim, int order);

    /** A short description for the model description ("computed", "bank:/path"). */
    String describe();

    /** {@code BasisTransform.of(FunctionSet.of(family, d, n)).tfx()}: the same numbers as {@code vtm transform}. */
    static TfxSource computed() {
        return new TfxSource() {
            @Override
            public double[] tfx(String family, int dim, int order) {
                return BasisTransform.of(FunctionSet.of(FunctionFamily.byName(family), dim, order)).tfx();
            }

            @Override
            public String describe() {
                return "computed";
            }
        };
    }

    /**
     * A {@code vtm.tbank/1} transform bank ({@code vtm precompute}), read and verified once when
     * this source is created; asking for a (family, d, n) the bank lacks, or refused, fails naming
     * the bank and the entry.
     */
    static TfxSource bank(Path dir) throws IOException {
        TransformBank bank = TransformBank.read(dir);
        return new TfxSource() {
            @Override
            public double[] tfx(String family, int dim, int order) {
                return bank.tfx(FunctionFamily.byName(family).name(), dim, order);
            }

            @Override
            public String describe() {
                return "bank:" + dir;
            }
        };
    }

    /** SHA-256 (hex) of the matrix as big-endian IEEE-754 doubles, row-major. */
    static String checksum(double[] matrix) {
        ByteBuffer b = ByteBuffer.allocate(matrix.length * Double.BYTES);
        for (double x : matrix) {
            b.putDouble(x);
        }
        return AtomicFiles.sha256(b.array());
    }
}
