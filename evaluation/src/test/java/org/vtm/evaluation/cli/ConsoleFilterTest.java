package org.vtm.evaluation.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Library debug lines are dropped from the console; everything else passes unchanged. */
class ConsoleFilterTest {

    @Test
    void dropsSameDiffOpLinesAndKeepsTheRest() {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(new ConsoleFilter(sink), true, StandardCharsets.UTF_8);
        out.println("epoch 1/2  train loss -17.5974");
        out.println("Added differentiated op lstmLayer");
        out.print("Added differentiated op ");
        out.println("matmul_bp");
        out.println("Added differentiation is not dropped");
        out.println("  Added differentiated op (indented: not ND4J's line)");
        out.print("progress 50%\r");
        out.print("progress 100%\n");
        out.print("no newline yet");
        out.flush();
        assertEquals("epoch 1/2  train loss -17.5974\nAdded differentiation is not dropped\n"
                + "  Added differentiated op (indented: not ND4J's line)\nprogress 50%\rprogress 100%\nno newline yet",
                sink.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aLineThatCannotBeDroppedIsWrittenBeforeItsNewline() {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(new ConsoleFilter(sink), true, StandardCharsets.UTF_8);
        out.print("epoch 3 [####");
        out.flush();
        assertEquals("epoch 3 [####", sink.toString(StandardCharsets.UTF_8), "progress shows without waiting for a newline");
        out.print("Add");
        out.flush();
        assertEquals("epoch 3 [####Add", sink.toString(StandardCharsets.UTF_8), "mid-line bytes are never held back");
    }
}
