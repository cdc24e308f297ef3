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

    /**
     * As {@link #write(ByteBuffer)}, the caller promising that more bytes follow before {@link #close()}:
     * then a whole chunk at the end of {@code src} is known not to be the final one, and is encrypted
     * where it lies as well.
     */
    public abstract void writeNotLast(ByteBuffer src) throws IOException;

    /**
     * How many bytes the chunk being filled still takes (1 to 64 KiB): a write of that many bytes ends
     * on a chunk boundary, and the whole chunks of the direct buffers written after it are then
     * encrypted where they lie.
     */
    public abstract int chunkRoom();
}
