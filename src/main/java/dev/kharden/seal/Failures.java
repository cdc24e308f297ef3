package dev.kharden.seal;

import java.io.IOException;

/** The one way this package passes a worker thread's failure on to the thread that waits for it. */
final class Failures {
    private Failures() {
    }

    /**
     * {@code failure} as the IOException to throw; an unchecked exception or error is thrown here as
     * it is. Callers write {@code throw Failures.io(failure)}.
     */
    static IOException io(Throwable failure) {
        // instanceof, not a pattern switch: a seal of a machine without some /proc file comes here
        // every time, and a switch's first run generates a class (about 1 ms of CPU)
        if (failure instanceof IOException e) {
            return e;
        }
        if (failure instanceof RuntimeException e) {
            throw e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException(failure);
    }
}
