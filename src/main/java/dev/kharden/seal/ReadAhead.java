package dev.kharden.seal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Hands a file's bytes to the thread that encrypts them while a second thread hashes the same bytes.
 * The file is cut into chunks of {@link #BUFFER} bytes, each read into one of {@link #BUFFERS}
 * native buffers (direct buffers: the kernel copies the file straight into them, SHA-256 reads them
 * there, and the cipher encrypts its whole chunks from them). Hashing and encrypting a chunk are
 * independent, so both threads work on the buffers at once, and a buffer is read again only once
 * both are done with the chunk it held.
 *
 * <p>Reading a chunk, a kernel copy, is done by whichever of the two threads needs the chunk first:
 * the thread that is ahead. That balances the work by itself. When hashing is the slower side, the
 * encrypting thread runs ahead and reads most chunks; when encrypting and writing the bundle is, the
 * hashing thread does. On two cores, a 256 MiB file took about 215 ms when one thread read and
 * hashed every chunk, ahead of the other, and takes about 200 ms with the reads shared.
 *
 * <p>The first chunk may be shorter ({@code first} bytes): the cipher encrypts 64 KiB chunks of the
 * bundle's tar stream, and the entry's header already sits in the current one. A first chunk that
 * fills that cipher chunk up lines every later chunk of the file up with the cipher's, so that the
 * cipher encrypts them where they lie instead of copying each one over by the header's length.
 *
 * <p>Exactly {@code size} bytes are read (the tar header already says so); a file that ends sooner
 * is an error. The file is read, never mapped: a file truncated while mapped would fault inside
 * native code and kill the process.
 */
final class ReadAhead implements AutoCloseable {
    static final int BUFFER = 512 * 1024;
    static final int BUFFERS = 4;

    private final Path file;
    private final long size;
    /** The first chunk's length: at most {@link #BUFFER}; every later chunk but the last is BUFFER long. */
    private final int first;
    private final long chunks;
    private final FileChannel in;
    private final MessageDigest sha;
    /** Per buffer: the view the hashing thread uses, and the encrypting thread's (positions differ). */
    private final ByteBuffer[] hashViews = new ByteBuffer[BUFFERS];
    private final ByteBuffer[] sinkViews = new ByteBuffer[BUFFERS];
    private final Thread hasher;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    // Guarded by lock. Chunks are claimed for reading in order; [0, claimed) are being read or read.
    private long claimed;
    /** Per buffer: the chunk whose bytes it holds in full, or -1. */
    private final long[] ready = new long[BUFFERS];
    /** Chunks [0, hashed) are hashed, [0, consumed) handed back by the encrypting thread. */
    private long hashed;
    private long consumed;
    private Throwable failure;
    private boolean closed;
    private long readByHasher;

    /** The chunk handed out by {@link #next()}, given back at the next call; -1 if none. */
    private long held = -1;

    /** Starts reading the first {@code size} bytes of {@code file}, in chunks of {@link #BUFFER} bytes. */
    ReadAhead(Path file, long size) throws IOException {
        this(file, size, BUFFER, BundleWriter.sha256());
    }

    /**
     * As {@link #ReadAhead(Path, long)}, the first chunk {@code first} bytes long (1 to BUFFER), hashing
     * with {@code sha} (tests run the JDK's and libcrypto's).
     */
    ReadAhead(Path file, long size, int first, MessageDigest sha) throws IOException {
        if (first < 1 || first > BUFFER) {
            throw new IllegalArgumentException("first chunk of " + first + " bytes");
        }
        this.file = file;
        this.size = size;
        this.first = first;
        this.chunks = size <= first ? Math.min(size, 1) : 1 + (size - first + BUFFER - 1) / BUFFER;
        this.sha = sha;
        this.in = FileChannel.open(file);
        // Freed by the garbage collector once unreachable: never while either thread still uses them.
        // A small file gets buffers of its own size.
        int buffer = (int) Math.clamp(size, 1, BUFFER);
        for (int i = 0; i < BUFFERS; i++) {
            ByteBuffer b = ByteBuffer.allocateDirect(buffer);
            hashViews[i] = b;
            sinkViews[i] = b.duplicate();
            ready[i] = -1;
        }
        hasher = Thread.ofPlatform().daemon().name("kharden-read").start(this::hashAll);
    }

    /** The hashing thread: every chunk in order, read by itself if it gets there first. */
    private void hashAll() {
        try {
            for (long k = 0; k < chunks; k++) {
                ByteBuffer b = acquire(k, hashViews);
                if (b == null) {
                    return; // closed, or the other thread failed: it reports that
                }
                sha.update(b);
                lock.lock();
                try {
                    hashed = k + 1;
                    changed.signalAll();
                } finally {
                    lock.unlock();
                }
            }
        } catch (Throwable e) {
            fail(e); // an I/O error, or a bug: either way the encrypting thread must hear of it
        }
    }

    /**
     * Chunk {@code k} in {@code views}' buffer for it, from position 0 to the chunk's length. Until
     * it is read, this thread reads the first chunk nobody has claimed (k itself, or one further
     * ahead while the other thread reads k) as soon as that chunk's buffer is free, and otherwise
     * waits. Null when the reader is closed or has failed.
     */
    private ByteBuffer acquire(long k, ByteBuffer[] views) throws IOException, InterruptedException {
        while (true) {
            long read;
            lock.lock();
            try {
                while (true) {
                    if (closed || failure != null) {
                        return null;
                    }
                    if (ready[(int) (k % BUFFERS)] == k) {
                        return view(k, views);
                    }
                    // The buffer of chunk j last held chunk j - BUFFERS: free once both threads are past
                    // that. Chunk k itself, or, while the other thread reads k, one further ahead.
                    if (claimed < chunks && claimed < Math.min(hashed, consumed) + BUFFERS) {
                        read = claimed++;
                        if (views == hashViews) {
                            readByHasher++;
                        }
                        break;
                    }
                    changed.await();
                }
            } finally {
                lock.unlock();
            }
            readChunk(read, views);
        }
    }

    /** Reads chunk {@code k} into its buffer, through {@code views}' view of it, and says it is ready. */
    private void readChunk(long k, ByteBuffer[] views) throws IOException {
        ByteBuffer b = view(k, views);
        long position = start(k);
        while (b.hasRemaining()) {
            int n = in.read(b, position);
            if (n < 0) {
                throw new IOException(file + " shrank while it was being sealed");
            }
            position += n;
        }
        lock.lock();
        try {
            ready[(int) (k % BUFFERS)] = k;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Where chunk {@code k} starts in the file. */
    private long start(long k) {
        return k == 0 ? 0 : first + (k - 1) * BUFFER;
    }

    /** {@code views}' buffer of chunk {@code k}, from position 0 to the chunk's length. */
    private ByteBuffer view(long k, ByteBuffer[] views) {
        long start = start(k);
        return views[(int) (k % BUFFERS)].limit((int) Math.min(k == 0 ? first : BUFFER, size - start)).position(0);
    }

    private void fail(Throwable e) {
        lock.lock();
        try {
            if (failure == null && !closed) {
                failure = e;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * The next stretch of the file, from position to limit of a direct buffer that is valid until the
     * next call, or null at the end of the file (once it is hashed as well). The buffer handed out
     * before is given back.
     */
    ByteBuffer next() throws IOException {
        lock.lock();
        try {
            if (held >= 0) {
                consumed = held + 1;
                held = -1;
                changed.signalAll();
            }
            if (consumed == chunks) {
                while (hashed < chunks && failure == null && !closed) {
                    changed.await();
                }
                if (failure != null) {
                    throw Failures.io(failure);
                }
                return hashed == chunks ? null : closedError();
            }
        } catch (InterruptedException e) {
            throw interrupted();
        } finally {
            lock.unlock();
        }
        ByteBuffer b;
        try {
            b = acquire(consumed, sinkViews);
        } catch (InterruptedException e) {
            throw interrupted();
        } catch (IOException | RuntimeException | Error e) {
            fail(e);
            throw e;
        }
        if (b == null) {
            lock.lock();
            try {
                if (failure != null) {
                    throw Failures.io(failure);
                }
            } finally {
                lock.unlock();
            }
            return closedError();
        }
        held = consumed;
        return b;
    }

    private static ByteBuffer closedError() throws IOException {
        throw new IOException("the file's reader is closed");
    }

    private static InterruptedIOException interrupted() {
        Thread.currentThread().interrupt();
        return new InterruptedIOException("interrupted while reading");
    }

    /** The SHA-256 of the whole file, once {@link #next()} has returned null (not thrown). */
    byte[] digest() {
        lock.lock();
        try {
            if (consumed < chunks || hashed < chunks || failure != null) {
                throw new IllegalStateException("the file is not read to its end yet");
            }
        } finally {
            lock.unlock();
        }
        return sha.digest();
    }

    /** How many chunks the hashing thread read (the encrypting thread read the others). */
    long chunksReadByHasher() {
        lock.lock();
        try {
            return readByHasher;
        } finally {
            lock.unlock();
        }
    }

    /** Stops the hashing thread, and closes the file. */
    @Override
    public void close() throws IOException {
        lock.lock();
        try {
            closed = true;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            hasher.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        in.close();
    }
}
