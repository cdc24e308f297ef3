package dev.kharden.cli;

/**
 * An error message made fit for a terminal: messages quote what they refuse (a waiver line, an
 * argument, a symbol-table line), and what they quote can be 50 MB without a newline or raw binary.
 * Control and non-printable characters become \xNN (a newline becomes a visible \n), and past
 * {@link #MAX} characters the rest is counted, not printed. Text read from a bundle (a manifest's
 * notes, facts and names, which whoever sealed it chose) goes through {@link #printable}: a
 * terminal never receives an escape sequence from it.
 */
final class Said {
    static final int MAX = 400;

    private Said() {
    }

    static String fit(String message) {
        return escape(message, MAX);
    }

    /**
     * Text from a bundle or a file name, for a terminal: control and non-printable characters as
     * in {@link #fit}, but never cut (a manifest's notes and names are printed whole).
     */
    static String printable(String text) {
        return escape(text, Integer.MAX_VALUE);
    }

    private static String escape(String message, int max) {
        if (message == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder(Math.min(message.length(), max) + 32);
        int i = 0;
        for (; i < message.length() && sb.length() < max; i++) {
            char c = message.charAt(i);
            if (c == '\n') {
                sb.append("\\n");
            } else if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == '\ufffd') {
                sb.append("\\x").append(Character.forDigit((c >> 4) & 0xf, 16)).append(Character.forDigit(c & 0xf, 16));
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
