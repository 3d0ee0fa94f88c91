package org.vtm.datagen;

import java.util.Locale;

/**
 * The per-step error columns of a corpus record ({@link CorpusRecord#errors()}{@code [t][column]}),
 * in schema order: the relative L2 and max-abs errors, at the corpus' sample points, of the Taylor
 * polynomial, the fixed {@code T_FX} series and the least-squares oracle of prefix {@code t}.
 */
public enum ErrorColumn {
    TAYLOR_REL_L2, TAYLOR_MAX_ABS, FIXED_REL_L2, FIXED_MAX_ABS, ORACLE_REL_L2, ORACLE_MAX_ABS;

    /** The column's name in the corpus schema ({@code CorpusSchema.ERROR_NAMES}), e.g. {@code fixed_rel_l2}. */
    public String columnName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** This error of prefix {@code step} of {@code record}. */
    public double of(CorpusRecord record, int step) {
        return record.errors()[step][ordinal()];
    }
}
