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
        return switch (failure) {
            case IOException e -> e;
            case RuntimeException e -> throw e;
            case Error e -> throw e;
            default -> throw new IllegalStateException(failure);
        };
    }
}
