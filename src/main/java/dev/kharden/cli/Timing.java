package dev.kharden.cli;

/**
 * Start-up phase timings for people tuning kharden: with KHARDEN_TIMING set, {@link #mark} prints
 * each phase to standard error as milliseconds since bin/kharden started (the launcher passes its
 * start time in KHARDEN_LAUNCH_US), or since the first mark when run some other way.
 */
final class Timing {
    private static final boolean ON = System.getenv("KHARDEN_TIMING") != null;
    private static final long ORIGIN_US = origin();

    private Timing() {
    }

    private static long origin() {
        if (!ON) {
            return 0;
        }
        try {
            return Long.parseLong(System.getenv().getOrDefault("KHARDEN_LAUNCH_US", ""));
        } catch (NumberFormatException e) {
            return System.currentTimeMillis() * 1000;
        }
    }

    static void mark(String phase) {
        if (ON) {
            System.err.printf("kharden timing: %-16s %6.1f ms%n", phase, (System.currentTimeMillis() * 1000 - ORIGIN_US) / 1000.0);
        }
    }
}
