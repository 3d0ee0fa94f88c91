package org.vtm.transforms.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.vtm.transforms.ProgressListener;

/** Library progress reaches the console only through a listener the command line chooses. */
class ProgressBarListenerTest {

    @Test
    void theBarListenerRendersProgressPerTaskAndPrintsMessages() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressListener l = ProgressBar.listener(new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
        l.progress("epoch 1/2", "batches", 1, 3, "loss 0.5");   // first update of a task: printed
        l.progress("epoch 1/2", "batches", 2, 3, "loss 0.4");   // within 10 s, not finished: skipped
        l.progress("epoch 1/2", "batches", 3, 3, "loss 0.3");   // finished: printed
        l.message("epoch 1/2  train loss 0.3");
        l.progress("epoch 2/2", "batches", 3, 3, "loss 0.2");   // a new task starts a new bar
        String[] lines = bytes.toString(StandardCharsets.UTF_8).split("\n");
        assertEquals(4, lines.length, String.join("\n", lines));
        assertTrue(lines[0].startsWith("epoch 1/2 ") && lines[0].contains("1/3 batches") && lines[0].contains("loss 0.5"),
                lines[0]);
        assertTrue(lines[1].contains("3/3 batches") && lines[1].contains("loss 0.3"), lines[1]);
        assertEquals("epoch 1/2  train loss 0.3", lines[2]);
        assertTrue(lines[3].startsWith("epoch 2/2 ") && lines[3].contains("3/3 batches"), lines[3]);
    }

    @Test
    void theLinesListenerKeepsMessagesOnlyAndTheSilentOneNothing() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProgressListener l = ProgressListener.lines(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        l.progress("epoch 1/1", "batches", 1, 1, "");
        l.message("stopped: epochs");
        assertEquals("stopped: epochs\n", bytes.toString(StandardCharsets.UTF_8));
        ProgressListener.silent().message("dropped"); // must not fail
    }
}
