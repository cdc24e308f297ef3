package dev.kharden.symbolize;

/**
 * Finds where the kernel's own text starts in a pasted log line, past the prefixes that tools add:
 * syslog/journalctl ({@code Mar  3 10:21:05 host kernel: }, ISO dates, {@code short-monotonic}),
 * {@code dmesg -x} ({@code kern  :warn  : }), raw printk levels ({@code <4>}), dmesg timestamps
 * ({@code [  123.456789] }), {@code dmesg -H}/{@code -T} stamps ({@code [Mar 3 10:21] },
 * {@code [  +0.000123] }) and printk caller ids ({@code [    T1] }). Exactly one space after a
 * stamp belongs to the prefix, so the kernel's own indentation of frames survives. Hand-written:
 * it runs on every line and must not backtrack.
 */
public final class LinePrefix {
    /** A " kernel: " further in than this is part of a message, not a syslog prefix. */
    private static final int MAX_SYSLOG_PREFIX = 120;

    private LinePrefix() {
    }

    /** Index in {@code line} where the kernel's message begins. */
    public static int bodyStart(String line) {
        int i = syslog(line);
        i = level(line, i);
        i = dmesgFacility(line, i);
        for (int k = 0; k < 3; k++) {
            int next = stamp(line, i);
            if (next == i) {
                break;
            }
            i = next;
        }
        return i;
    }

    /** {@code Mar  3 10:21:05 host kernel: } or {@code 2025-03-03T10:21:05+0100 host kernel: }. */
    private static int syslog(String line) {
        int at = line.indexOf(" kernel: ");
        if (at <= 0 || at > MAX_SYSLOG_PREFIX) {
            return 0;
        }
        char first = line.charAt(0);
        boolean dateLike = Character.isLetterOrDigit(first) || first == '[';
        boolean hasTime = false;
        for (int k = 0; k < at; k++) {
            char c = line.charAt(k);
            if (c == ':') {
                hasTime = true;
            }
            if (c == '<') {
                return 0; // "[<ffffffff...>]": a frame, not a date
            }
        }
        return dateLike && hasTime ? at + " kernel: ".length() : 0;
    }

    /** {@code <4>} as read from /dev/kmsg or {@code dmesg -r}. */
    private static int level(String line, int i) {
        if (line.length() >= i + 3 && line.charAt(i) == '<' && Character.isDigit(line.charAt(i + 1))
                && line.charAt(i + 2) == '>') {
            return i + 3;
        }
        return i;
    }

    /** {@code kern  :warn  : } from {@code dmesg -x}. */
    private static int dmesgFacility(String line, int i) {
        int colon1 = -1, colon2 = -1;
        int n = Math.min(line.length(), i + 24);
        for (int k = i; k < n; k++) {
            char c = line.charAt(k);
            if (c == ':') {
                if (colon1 < 0) {
                    colon1 = k;
                } else {
                    colon2 = k;
                    break;
                }
            } else if (!(c >= 'a' && c <= 'z') && c != ' ') {
                return i;
            }
        }
        if (colon1 <= i || colon2 < 0 || colon2 + 1 >= line.length() || line.charAt(colon2 + 1) != ' ') {
            return i;
        }
        String facility = line.substring(i, colon1).strip();
        return switch (facility) {
            case "kern", "user", "daemon", "syslog" -> colon2 + 2;
            default -> i;
        };
    }

    /** One bracketed time stamp or caller id plus one following space, or {@code i} unchanged. */
    private static int stamp(String line, int i) {
        if (i >= line.length() || line.charAt(i) != '[') {
            return i;
        }
        int close = line.indexOf(']', i + 1);
        if (close < 0 || close - i > 40) {
            return i;
        }
        if (!isStamp(line, i + 1, close)) {
            return i;
        }
        int next = close + 1;
        return next < line.length() && line.charAt(next) == ' ' ? next + 1 : next;
    }

    private static boolean isStamp(String line, int from, int to) {
        boolean digit = false, sep = false;
        for (int k = from; k < to; k++) {
            char c = line.charAt(k);
            if (Character.isDigit(c)) {
                digit = true;
            } else if (c == '.' || c == ':') {
                sep = true;
            } else if (!(c == ' ' || c == '+' || c == ',' || c == '-' || (c >= 'A' && c <= 'Z')
                    || (c >= 'a' && c <= 'z'))) {
                return false;
            }
        }
        if (digit && sep) {
            return true;
        }
        // printk caller id: "[    T1]" or "[  C3]"
        String inner = line.substring(from, to).strip();
        if (inner.length() >= 2 && (inner.charAt(0) == 'T' || inner.charAt(0) == 'C')) {
            for (int k = 1; k < inner.length(); k++) {
                if (!Character.isDigit(inner.charAt(k))) {
                    return false;
                }
            }
            return true;
        }
        return false;
    }
}
