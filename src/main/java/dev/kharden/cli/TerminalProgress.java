package dev.kharden.cli;

import dev.kharden.modsig.Batch;
import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * Shows "[done/total]" on standard error while a batch runs, only when standard error is a terminal
 * (so logs and pipes stay clean), at most every 100 ms, and erases itself at the end.
 */
final class TerminalProgress implements Batch.Progress {
    private final PrintWriter err;
    private final boolean enabled;
    private long last;

    TerminalProgress(PrintWriter err, boolean enabled) {
        this.err = err;
        this.enabled = enabled;
    }

    /** True when file descriptor 2 is a terminal (Linux: /proc/self/fd/2 points at a tty). */
    static boolean stderrIsTerminal() {
        return isTerminal(2);
    }

    /** True when {@code p} leads to a terminal (/dev/stdout on a terminal, /dev/pts/N, /dev/tty). */
    static boolean namesTerminal(Path p) {
        try {
            String real = p.toRealPath().toString();
            return real.startsWith("/dev/pts/") || real.startsWith("/dev/tty");
        } catch (java.io.IOException | UnsupportedOperationException | SecurityException e) {
            return false; // a pipe or socket ("pipe:[...]" leads nowhere), or no /proc
        }
    }

    /** True when file descriptor 0 is a terminal. */
    static boolean stdinIsTerminal() {
        return isTerminal(0);
    }

    /** True when file descriptor 1 is a terminal. */
    static boolean stdoutIsTerminal() {
        return isTerminal(1);
    }

    private static boolean isTerminal(int fd) {
        return namesTerminal(Path.of("/proc/self/fd/" + fd)); // Linux: the descriptor's link leads to the tty
    }

    @Override
    public void update(int done, int total) {
        if (!enabled) {
            return;
        }
        long now = System.nanoTime();
        boolean end = done == total;
        if (!end && now - last < 100_000_000L) {
            return;
        }
        last = now;
        err.print(end ? "\r\033[K" : "\r[" + done + "/" + (total < 0 ? "?" : total) + "] checking modules...");
        err.flush();
    }
}
