package dev.kharden.seal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Hashes an entry on a second thread and writes it out on a third, one buffer behind the thread
 * that decrypts it, so that SHA-256, the write's kernel work and ChaCha20-Poly1305 overlap. Two
 * buffers alternate: the caller fills one while the other is hashed and written; a buffer is handed
 * back only after both finished, so no byte is hashed or written after it was overwritten. Memory
 * is the two buffers. Plaintext stays in these heap buffers: nothing here touches the disk except
 * through the caller's own sink.
 */
final class HashBehind implements AutoCloseable {
    /**
     * 1 MiB: every buffer costs two hand-overs between threads, each a park and an unpark. With
     * 256 KiB buffers they cost a 256 MiB unseal about 40 ms of wall time (A/B measured); 2 and
     * 4 MiB were no faster than 1.
     */
    static final int BUFFER = 1024 * 1024;

    private final ExecutorService hasher = worker("kharden-hash");
    private ExecutorService writer;
    private final byte[][] buffers = {new byte[BUFFER], new byte[BUFFER]};
    private int current;
    private Future<?> pending;
    private Future<?> pendingWrite;
    private MessageDigest sha;
    private OutputStream copy;

    private static ExecutorService worker(String name) {
        return Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts a new entry: its hash, and where its bytes go (null: nowhere). */
    void start(OutputStream copyTo) throws IOException {
        await();
        sha = BundleWriter.sha256();
        copy = copyTo;
    }

    /** The buffer to fill next; it is free (not being hashed). */
    byte[] buffer() {
        return buffers[current];
    }

    /** Hands the first {@code n} bytes of {@link #buffer()} over to be hashed (and copied). */
    void submit(int n) throws IOException {
        byte[] b = buffers[current];
        MessageDigest d = sha;
        OutputStream out = copy;
        await(); // the previous jobs used the other buffer, which is the next one handed out
        pending = hasher.submit(() -> d.update(b, 0, n));
        if (out != null) {
            if (writer == null) {
                writer = worker("kharden-write");
            }
            pendingWrite = writer.submit(() -> {
                try {
                    out.write(b, 0, n);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        current ^= 1;
    }

    /** Waits for the entry's last buffer and returns its SHA-256. */
    byte[] digest() throws IOException {
        await();
        return sha.digest();
    }

    private void await() throws IOException {
        Future<?> w = pendingWrite;
        pendingWrite = null;
        Future<?> h = pending;
        pending = null;
        try {
            await(h);
        } finally {
            await(w); // never leave a write running into a sink the caller is about to close
        }
    }

    private static void await(Future<?> f) throws IOException {
        if (f == null) {
            return;
        }
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while hashing");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            throw Failures.io(c instanceof UncheckedIOException u ? u.getCause() : c);
        }
    }

    @Override
    public void close() {
        // Let a running job end before the caller closes the sink it writes to.
        try {
            await();
        } catch (IOException | RuntimeException ignored) {
            // closing after a failure: the caller is already reporting one
        }
        hasher.shutdownNow();
        if (writer != null) {
            writer.shutdownNow();
        }
    }
}
