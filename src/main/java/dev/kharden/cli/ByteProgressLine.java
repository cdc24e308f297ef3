package dev.kharden.cli;

import dev.kharden.seal.ByteProgress;
import java.io.PrintWriter;

/**
 * "sealing: 1.2 of 4.0 GiB (30%)" on standard error while a seal or unseal streams a lot of data:
 * only when standard error is a terminal (logs and pipes stay clean), only once the work has run
 * for a second (a short run never flashes a line), redrawn at most every 200 ms, and erased at the
 * end.
 */
final class ByteProgressLine implements ByteProgress {
    private static final long REDRAW_NANOS = 200_000_000L;
    private final PrintWriter err;
    private final String what;
    private final boolean enabled;
    private final long showAfter;
    private long last;
    private boolean drawn;

    /** A line for {@code what} ("sealing"), drawn only when {@code enabled}, and not before {@code delayNanos}. */
    ByteProgressLine(PrintWriter err, String what, boolean enabled, long delayNanos) {
        this.err = err;
        this.what = what;
        this.enabled = enabled;
        this.showAfter = System.nanoTime() + delayNanos;
    }

    /** As used by the commands: on a terminal only, after one second. */
    static ByteProgressLine onTerminal(PrintWriter err, String what) {
        return new ByteProgressLine(err, what, TerminalProgress.stderrIsTerminal(), 1_000_000_000L);
    }

    @Override
    public void update(long done, long total) {
        if (!enabled) {
            return;
        }
        long now = System.nanoTime();
        if (now - showAfter < 0 || (drawn && now - last < REDRAW_NANOS)) {
            return;
        }
        last = now;
        drawn = true;
        long percent = total > 0 ? Math.min(100, done * 100 / total) : 100;
        err.print("\r" + what + ": " + size(done, total) + " of " + size(total, total) + " " + unit(total)
                + " (" + percent + "%)\033[K");
        err.flush();
    }

    /** Erases the line, if one was drawn. */
    void done() {
        if (drawn) {
            err.print("\r\033[K");
            err.flush();
            drawn = false;
        }
    }

    private static long scale(long total) {
        return total >= 1L << 30 ? 1L << 30 : 1L << 20;
    }

    private static String unit(long total) {
        return total >= 1L << 30 ? "GiB" : "MiB";
    }

    /** {@code bytes} in the unit of {@code total}, one decimal. */
    private static String size(long bytes, long total) {
        long tenths = bytes * 10 / scale(total);
        return tenths / 10 + "." + tenths % 10;
    }
}
