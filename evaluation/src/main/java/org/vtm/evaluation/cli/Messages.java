package org.vtm.evaluation.cli;

/** How the command line shapes the messages it prints. */
final class Messages {
    private Messages() {
    }

    /** Messages stay on one line: the first line of a multi-line message. */
    static String oneLine(String message) {
        if (message == null) {
            return "(no message)";
        }
        int nl = message.indexOf('\n');
        return (nl < 0 ? message : message.substring(0, nl)).trim();
    }
}
