package dev.kharden.seal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Reads a file and hashes it on a second thread, a few buffers ahead of the thread that encrypts
 * it: reading (a kernel copy) and SHA-256 run on one core while tar framing, ChaCha20-Poly1305 and
 * the write of the bundle run on the other. The buffers are native memory (direct buffers): the
 * kernel copies the file straight into them, SHA-256 reads them there, and the cipher encrypts its
 * whole chunks from them. Exactly {@code size} bytes are read (the tar header already says
 * so); a file that ends sooner is an error. The file is read, never mapped: a file truncated while
 * mapped would fault inside native code and kill the process. Memory is {@link #BUFFERS} buffers.
 */
final class ReadAhead implements AutoCloseable {
    static final int BUFFER = 512 * 1024;
    static final int BUFFERS = 4;

    /** A filled buffer, the end (null buffer), or the reader's failure. */
    private record Chunk(ByteBuffer buffer, Throwable error) {
    }

    private static final Chunk END = new Chunk(null, null);

    private final BlockingQueue<ByteBuffer> free = new ArrayBlockingQueue<>(BUFFERS);
    private final BlockingQueue<Chunk> filled = new ArrayBlockingQueue<>(BUFFERS + 1);
    private final MessageDigest sha;
    private final Thread reader;
    private ByteBuffer held;
    private boolean ended;
    private boolean complete;

    /** Starts reading the first {@code size} bytes of {@code file}. */
    ReadAhead(Path file, long size) {
        this(file, size, BundleWriter.sha256());
    }

    /** As {@link #ReadAhead(Path, long)}, hashing with {@code sha} (tests run the JDK's and libcrypto's). */
    ReadAhead(Path file, long size, MessageDigest sha) {
        this.sha = sha;
        // Direct buffers, freed by the garbage collector once unreachable: never while either thread
        // still uses them. A small file gets buffers of its own size.
        int buffer = (int) Math.clamp(size, 1, BUFFER);
        for (int i = 0; i < BUFFERS; i++) {
            free.add(ByteBuffer.allocateDirect(buffer));
        }
        reader = Thread.ofPlatform().daemon().name("kharden-read").start(() -> read(file, size));
    }

    private void read(Path file, long size) {
        Chunk last;
        try (FileChannel in = FileChannel.open(file)) {
            long left = size;
            while (left > 0) {
                ByteBuffer b = free.take().clear();
                b.limit((int) Math.min(b.capacity(), left));
                while (b.hasRemaining()) {
                    if (in.read(b) < 0) {
                        throw new IOException(file + " shrank while it was being sealed");
                    }
                }
                sha.update(b.flip());
                filled.put(new Chunk(b.rewind(), null));
                left -= b.limit();
            }
            last = END;
        } catch (InterruptedException e) {
            return; // closed by the consumer: nobody waits for more
        } catch (Throwable e) {
            last = new Chunk(null, e); // an I/O error, or a bug: either way the consumer must hear of it
        }
        filled.add(last); // room is left for it: at most BUFFERS chunks are ever queued
    }

    /**
     * The next stretch of the file, from position to limit of a direct buffer that is valid until the
     * next call, or null at the end of the file. The buffer handed out before is given back to the
     * reader.
     */
    ByteBuffer next() throws IOException {
        if (held != null) {
            free.add(held);
            held = null;
        }
        if (ended) {
            return null;
        }
        Chunk c;
        try {
            c = filled.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading");
        }
        if (c.error() != null) {
            ended = true;
            throw Failures.io(c.error());
        }
        if (c.buffer() == null) {
            ended = true;
            complete = true;
            return null;
        }
        held = c.buffer();
        return held;
    }

    /** The SHA-256 of the whole file, once {@link #next()} has returned null (not thrown). */
    byte[] digest() {
        if (!complete) {
            throw new IllegalStateException("the file is not read to its end yet");
        }
        return sha.digest();
    }

    @Override
    public void close() {
        reader.interrupt();
    }
}
