package dev.kharden.files;

/**
 * Undoes a half-done output if the process is stopped meanwhile (Ctrl-C, kill, a CI timeout): the
 * JVM runs shutdown hooks on SIGINT and SIGTERM, not the finally blocks of the threads it stops. So
 * an interrupted unseal leaves no folder of unauthenticated plaintext behind, and an interrupted
 * seal no partial bundle. Close it once the output is complete or already undone.
 */
public final class ExitCleanup implements AutoCloseable {
    /** Hooks registered and not closed yet. */
    private static final java.util.concurrent.atomic.AtomicInteger OPEN = new java.util.concurrent.atomic.AtomicInteger();
    /** Set once something was left for the JVM's own exit work (files to delete on exit). */
    private static volatile boolean exitWork;

    private final Thread hook;
    private boolean closed;

    private ExitCleanup(Thread hook) {
        this.hook = hook;
    }

    /** Runs {@code undo} if the JVM shuts down before {@link #close()}. */
    public static ExitCleanup register(String what, Runnable undo) {
        Thread hook = new Thread(undo, "kharden-cleanup " + what);
        Runtime.getRuntime().addShutdownHook(hook);
        OPEN.incrementAndGet();
        return new ExitCleanup(hook);
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
            OPEN.decrementAndGet();
        } catch (IllegalStateException e) {
            // already shutting down: the hook runs, or has run; it stays counted, so that exit()
            // waits for it rather than halting under it
        }
    }

    /** Says that the JVM's exit has work to do ({@link java.io.File#deleteOnExit()} was used): {@link #exit} then runs it. */
    public static void exitWorkLeft() {
        exitWork = true;
    }

    /**
     * Ends the process with {@code code}, standard output and error flushed. With a hook still open,
     * or exit work left ({@link #exitWorkLeft}), through {@link System#exit}, which runs them; else
     * by {@link Runtime#halt}: System.exit first looks up the logger it reports exits to, and that
     * look-up reads the service files of every jar on the class path, opening and indexing the
     * 11,000-entry jar for nothing else (about 25 ms of CPU at the end of every run).
     */
    public static void exit(int code) {
        System.out.flush();
        System.err.flush();
        if (exitWork || OPEN.get() > 0 || shuttingDown()) {
            // During a shutdown (Ctrl-C, kill) System.exit waits for the hooks and the JVM ends with
            // the signal's status; a halt would cut a cleanup short.
            System.exit(code);
        }
        Runtime.getRuntime().halt(code);
    }

    /** Whether the JVM has begun to shut down: it then takes no new hook. */
    private static boolean shuttingDown() {
        Thread probe = new Thread(() -> { });
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
        } catch (IllegalStateException e) {
            return true;
        }
        return false;
    }
}
