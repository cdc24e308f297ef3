package dev.kharden.cli;

/**
 * An error message made fit for a terminal: messages quote what they refuse (a waiver line, an
 * argument, a symbol-table line), and what they quote can be 50 MB without a newline or raw binary.
 * Control and non-printable characters become \xNN (a newline becomes a visible \n), and past
 * {@link #MAX} characters the rest is counted, not printed.
 */
final class Said {
    static final int MAX = 400;

    private Said() {
    }

    static String fit(String message) {
        if (message == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(Math.min(message.length(), MAX) + 32);
        int i = 0;
        for (; i < message.length() && sb.length() < MAX; i++) {
            char c = message.charAt(i);
            if (c == '\n') {
                sb.append("\\n");
            } else if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == '\ufffd') {
                sb.append(String.format("\\x%02x", c & 0xff));
            } else {
                sb.append(c);
            }
        }
        if (i < message.length()) {
            sb.append("... (").append(message.length() - i).append(" more characters)");
        }
        return sb.toString();
    }
}
