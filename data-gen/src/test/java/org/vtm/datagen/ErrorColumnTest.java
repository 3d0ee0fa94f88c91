package org.vtm.datagen;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ErrorColumnTest {

    @Test
    void columnsAreTheSchemaColumnsInOrder() {
        assertEquals(CorpusSchema.ERROR_NAMES, Arrays.stream(ErrorColumn.values()).map(ErrorColumn::columnName).toList());
    }

    @Test
    void aColumnReadsItsEntryOfEveryStep() {
        CorpusRecord r = SyntheticRecords.record(5, 3);
        for (int t = 0; t < r.steps(); t++) {
            for (ErrorColumn c : ErrorColumn.values()) {
                assertEquals(r.errors()[t][CorpusSchema.ERROR_NAMES.indexOf(c.columnName())], c.of(r, t), c + " step " + t);
            }
        }
        assertEquals(r.errors()[0][2], ErrorColumn.FIXED_REL_L2.of(r, 0));
        assertEquals(r.errors()[0][4], ErrorColumn.ORACLE_REL_L2.of(r, 0));
    }
}
