package dev.kharden.age;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.MemorySegment;

/**
 * The plaintext side of an age file being written ({@link Age#encrypt}): an OutputStream that also
 * takes native memory, whose whole chunks it encrypts where they lie, without a copy. Closing it
 * writes the final chunk; not closing it leaves a truncated file that every reader rejects.
 */
public abstract sealed class AgeOutput extends OutputStream permits Payload.Writer {
    AgeOutput() {
    }

    /**
     * Writes the bytes of {@code src}, native memory or a Java array's. The segment is not used once
     * this returns: its memory may be refilled at once.
     */
    public abstract void write(MemorySegment src) throws IOException;
}
