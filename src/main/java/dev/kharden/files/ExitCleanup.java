package dev.kharden.files;

/**
 * Undoes a half-done output if the process is stopped meanwhile (Ctrl-C, kill, a CI timeout): the
 * JVM runs shutdown hooks on SIGINT and SIGTERM, not the finally blocks of the threads it stops. So
 * an interrupted unseal leaves no folder of unauthenticated plaintext behind, and an interrupted
 * seal no partial bundle. Close it once the output is complete or already undone.
 */
public final class ExitCleanup implements AutoCloseable {
    private final Thread hook;

    private ExitCleanup(Thread hook) {
        this.hook = hook;
    }

    /** Runs {@code undo} if the JVM shuts down before {@link #close()}. */
    public static ExitCleanup register(String what, Runnable undo) {
        Thread hook = new Thread(undo, "kharden-cleanup " + what);
        Runtime.getRuntime().addShutdownHook(hook);
        return new ExitCleanup(hook);
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // already shutting down: the hook runs, or has run
        }
    }
}
