package dev.kharden.seal;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Reads a file and hashes it on a second thread, a few buffers ahead of the thread that encrypts
 * it: reading (a kernel copy) and SHA-256 run on one core while tar framing, ChaCha20-Poly1305 and
 * the write of the bundle run on the other. Exactly {@code size} bytes are read (the tar header
 * already says so); a file that ends sooner is an error. Memory is {@link #BUFFERS} buffers.
 */
final class ReadAhead implements AutoCloseable {
    static final int BUFFER = 256 * 1024;
    static final int BUFFERS = 3;

    /** A filled buffer, the end (null buffer), or the reader's failure. */
    private record Chunk(byte[] buffer, int length, Throwable error) {
    }

    private static final Chunk END = new Chunk(null, 0, null);

    private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(BUFFERS);
    private final BlockingQueue<Chunk> filled = new ArrayBlockingQueue<>(BUFFERS + 1);
    private final MessageDigest sha = BundleWriter.sha256();
    private final Thread reader;
    private byte[] held;
    private int length;
    private boolean ended;
    private boolean complete;

    /** Starts reading the first {@code size} bytes of {@code file}. */
    ReadAhead(Path file, long size) {
        for (int i = 0; i < BUFFERS; i++) {
            free.add(new byte[BUFFER]);
        }
        reader = Thread.ofPlatform().daemon().name("kharden-read").start(() -> read(file, size));
    }

    private void read(Path file, long size) {
        Chunk last;
        try (InputStream in = Files.newInputStream(file)) {
            long left = size;
            while (left > 0) {
                byte[] b = free.take();
                int n = in.readNBytes(b, 0, (int) Math.min(b.length, left));
                if (n == 0) {
                    throw new IOException(file + " shrank while it was being sealed");
                }
                sha.update(b, 0, n);
                filled.put(new Chunk(b, n, null));
                left -= n;
            }
            last = END;
        } catch (InterruptedException e) {
            return; // closed by the consumer: nobody waits for more
        } catch (Throwable e) {
            last = new Chunk(null, 0, e); // an I/O error, or a bug: either way the consumer must hear of it
        }
        filled.add(last); // room is left for it: at most BUFFERS chunks are ever queued
    }

    /**
     * The next filled buffer, valid until the next call, or null at the end of the file; its
     * length is {@link #length()}. The buffer handed out before is given back to the reader.
     */
    byte[] next() throws IOException {
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
        length = c.length();
        return held;
    }

    /** How many bytes of the buffer {@link #next()} returned are the file's. */
    int length() {
        return length;
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
