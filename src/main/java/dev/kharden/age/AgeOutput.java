package dev.kharden.age;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * The plaintext side of an age file being written ({@link Age#encrypt}): an OutputStream that also
 * takes buffers, and encrypts the whole chunks of a direct buffer (native memory) where they lie,
 * without a copy. Closing it
 * writes the final chunk; not closing it leaves a truncated file that every reader rejects.
 */
public abstract sealed class AgeOutput extends OutputStream permits Payload.Writer {
    AgeOutput() {
    }

    /**
     * Writes the remaining bytes of {@code src}, direct or not; its position moves to its limit. The
     * buffer is not used once this returns: it may be refilled at once.
     */
    public abstract void write(ByteBuffer src) throws IOException;
}
