package dev.kharden.age;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The age payload: STREAM over ChaCha20-Poly1305 in 64 KiB chunks, nonce = 11-byte big-endian
 * counter || last-chunk flag. Memory is about 1 MiB each way whatever the file size. The reader
 * releases a chunk only after its tag verifies, refuses a missing final chunk (truncation), an
 * empty final chunk after data, and any byte after the final chunk, so what it returns before EOF
 * is exactly what the sender wrote, in order.
 */
final class Payload {
    static final int CHUNK = 64 * 1024;
    static final int TAG = 16;
    static final int ENC_CHUNK = CHUNK + TAG;
    static final int NONCE = 16;

    private Payload() {
    }

    static byte[] payloadKey(byte[] fileKey, byte[] nonce) {
        return Primitives.hkdf(fileKey, nonce, "payload".getBytes(StandardCharsets.US_ASCII));
    }

    private static void chunkNonce(byte[] nonce, long counter, boolean last) {
        for (int i = 10; i >= 0; i--) {
            nonce[i] = (byte) counter;
            counter >>>= 8;
        }
        nonce[11] = (byte) (last ? 1 : 0);
    }

    /**
     * ChaCha20-Poly1305 under the payload key: libcrypto's when {@link LibCrypto#available()} (no
     * JIT warm-up), else the JDK's {@link Cipher}. Both give the same bytes.
     */
    interface ChunkCipher {
        /** Encrypts {@code plain[off, off+n)} into {@code out} (ciphertext, then tag); returns n + TAG. */
        int seal(byte[] nonce, byte[] plain, int off, int n, byte[] out);

        /** Decrypts {@code in[0, n)} into {@code out}; the plaintext length, or -1 when the tag does not verify. */
        int open(byte[] nonce, byte[] in, int n, byte[] out);

        /**
         * Encrypts the remaining bytes of {@code plain} into {@code out} from its position
         * (ciphertext, then tag), both direct buffers (native memory), as
         * {@link Cipher#doFinal(ByteBuffer, ByteBuffer)} does: both positions advance past what was
         * read and written. Returns plain's remaining + TAG.
         */
        int seal(byte[] nonce, ByteBuffer plain, ByteBuffer out);

        /**
         * Decrypts the remaining bytes of {@code in} (ciphertext, then tag) into {@code out} from
         * its position, both direct buffers, the positions advancing as for {@code seal}; the
         * plaintext length, or -1 when the tag does not verify.
         */
        int open(byte[] nonce, ByteBuffer in, ByteBuffer out);
    }

    static ChunkCipher chunkCipher(byte[] payloadKey, boolean encrypt) {
        if (LibCrypto.available()) {
            return LibCrypto.chaChaPoly(payloadKey, encrypt);
        }
        return new JdkChunkCipher(payloadKey);
    }

    /** The JDK's ChaCha20-Poly1305: one Cipher, initialised per chunk (a fresh nonce each time). */
    static final class JdkChunkCipher implements ChunkCipher {
        private final SecretKeySpec key;
        private final Cipher cipher;

        JdkChunkCipher(byte[] payloadKey) {
            this.key = new SecretKeySpec(payloadKey, "ChaCha20");
            try {
                this.cipher = Cipher.getInstance("ChaCha20-Poly1305");
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("ChaCha20-Poly1305 unavailable in this JDK", e);
            }
        }

        @Override
        public int seal(byte[] nonce, byte[] plain, int off, int n, byte[] out) {
            return run(Cipher.ENCRYPT_MODE, nonce, ByteBuffer.wrap(plain, off, n), ByteBuffer.wrap(out));
        }

        @Override
        public int open(byte[] nonce, byte[] in, int n, byte[] out) {
            return run(Cipher.DECRYPT_MODE, nonce, ByteBuffer.wrap(in, 0, n), ByteBuffer.wrap(out));
        }

        @Override
        public int seal(byte[] nonce, ByteBuffer plain, ByteBuffer out) {
            return run(Cipher.ENCRYPT_MODE, nonce, plain, out);
        }

        @Override
        public int open(byte[] nonce, ByteBuffer in, ByteBuffer out) {
            return run(Cipher.DECRYPT_MODE, nonce, in, out);
        }

        /** One chunk in {@code mode}: the bytes written to {@code out}, or -1 when a tag does not verify. */
        private int run(int mode, byte[] nonce, ByteBuffer in, ByteBuffer out) {
            try {
                cipher.init(mode, key, new IvParameterSpec(nonce));
                return cipher.doFinal(in, out);
            } catch (AEADBadTagException e) {
                return -1;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("ChaCha20-Poly1305 failed", e);
            }
        }
    }

    /**
     * Decrypting side: an InputStream of verified plaintext. Ciphertext is read from a channel into
     * a native buffer of {@link #IN_CHUNKS} chunks, many chunks per read, and each chunk is
     * decrypted from there into a native chunk buffer, from which it is released once its tag
     * verified.
     */
    static final class Reader extends InputStream {
        /** Sealed chunks per read from the channel: about 1 MiB. */
        static final int IN_CHUNKS = 16;
        private final ReadableByteChannel src;
        private final ChunkCipher cipher;
        private final byte[] nonce = new byte[12];
        // Direct buffers: native memory, freed by the garbage collector once the reader is
        // unreachable. Both are kept ready to read from: position to limit.
        private final ByteBuffer in = ByteBuffer.allocateDirect(IN_CHUNKS * ENC_CHUNK).limit(0);
        private final ByteBuffer out = ByteBuffer.allocateDirect(CHUNK).limit(0);
        private boolean inEnded;
        private long counter;
        private boolean done;
        private boolean trailingChecked;
        private AgeException failure;

        Reader(InputStream src, byte[] payloadKey) {
            this(Channels.newChannel(src), chunkCipher(payloadKey, false));
        }

        Reader(InputStream src, ChunkCipher cipher) {
            this(Channels.newChannel(src), cipher);
        }

        Reader(ReadableByteChannel src, byte[] payloadKey) {
            this(src, chunkCipher(payloadKey, false));
        }

        Reader(ReadableByteChannel src, ChunkCipher cipher) {
            this.src = src;
            this.cipher = cipher;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            java.util.Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            while (!out.hasRemaining()) {
                if (failure != null) {
                    throw failure;
                }
                if (done) {
                    // The final chunk was released; EOF only if nothing follows it.
                    if (!trailingChecked) {
                        trailingChecked = true;
                        if (fill(1) > 0) {
                            failure = fail("trailing data after the final chunk");
                            throw failure;
                        }
                    }
                    return -1;
                }
                nextChunk();
            }
            int n = Math.min(len, out.remaining());
            out.get(b, off, n);
            return n;
        }

        @Override
        public int available() {
            return out.remaining();
        }

        /**
         * Reads until {@code want} sealed bytes are in hand or the channel ends; returns how many are
         * in hand, at most {@code want}. What is left of the buffer moves to its front first, so that
         * reads fill it to the end.
         */
        private int fill(int want) throws IOException {
            while (!inEnded && in.remaining() < want) {
                in.compact();
                int r = src.read(in);
                in.flip();
                inEnded = r < 0;
            }
            return Math.min(want, in.remaining());
        }

        private void nextChunk() throws IOException {
            try {
                int n = fill(ENC_CHUNK);
                if (n == 0) {
                    throw fail(counter == 0 ? "no payload chunk" : "truncated: the final chunk is missing");
                }
                boolean last = n < ENC_CHUNK;
                if (n < TAG) {
                    throw fail("chunk " + counter + " is shorter than its tag");
                }
                int plain = decrypt(n, last);
                if (plain < 0 && !last) {
                    last = true; // a full-size chunk may still be the final one
                    plain = decrypt(n, true);
                }
                if (plain < 0) {
                    throw fail("chunk " + counter + " does not authenticate (altered, truncated, or corrupt)");
                }
                if (last && plain == 0 && counter > 0) {
                    throw fail("empty final chunk after data");
                }
                in.position(in.position() + n);
                counter++;
                done = last;
            } catch (AgeException e) {
                failure = e;
                throw e;
            }
        }

        /** Decrypts the next n sealed bytes into {@code out}; -1 when the tag does not verify. */
        private int decrypt(int n, boolean last) {
            chunkNonce(nonce, counter, last);
            out.clear();
            int plain = cipher.open(nonce, in.slice(in.position(), n), out);
            out.flip();
            if (plain < 0) {
                out.limit(0); // unauthenticated bytes are never released
            }
            return plain;
        }

        private static AgeException fail(String detail) {
            return new AgeException(AgeException.Kind.PAYLOAD, detail);
        }

        @Override
        public void close() throws IOException {
            src.close();
        }
    }

    /**
     * Encrypting side. Plaintext gathers in one native chunk buffer, except that whole chunks of
     * native memory are encrypted where they lie; sealed chunks gather in a native buffer of
     * {@link #OUT_CHUNKS} chunks that goes to the channel in one write. close() writes the final
     * chunk and closes the channel.
     */
    static final class Writer extends AgeOutput {
        /** Sealed chunks per write to the channel: about 1 MiB. */
        static final int OUT_CHUNKS = 16;
        private final WritableByteChannel dst;
        private final ChunkCipher cipher;
        private final byte[] nonce = new byte[12];
        // Direct buffers: native memory, freed by the garbage collector once the writer is
        // unreachable (so never while a call into native code still uses it, even at shutdown).
        // Both fill from their start: what they hold is before their position.
        private final ByteBuffer buf = ByteBuffer.allocateDirect(CHUNK);
        private final ByteBuffer enc = ByteBuffer.allocateDirect(OUT_CHUNKS * ENC_CHUNK);
        private long counter;
        private boolean closed;

        Writer(WritableByteChannel dst, byte[] payloadKey) {
            this(dst, chunkCipher(payloadKey, true));
        }

        Writer(WritableByteChannel dst, ChunkCipher cipher) {
            this.dst = dst;
            this.cipher = cipher;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int n) throws IOException {
            java.util.Objects.checkFromIndexSize(off, n, b.length);
            write(ByteBuffer.wrap(b, off, n));
        }

        @Override
        public void write(ByteBuffer src) throws IOException {
            write(src, false);
        }

        @Override
        public void writeNotLast(ByteBuffer src) throws IOException {
            write(src, true);
        }

        @Override
        public int chunkRoom() {
            return buf.hasRemaining() ? buf.remaining() : CHUNK; // a full chunk is sealed on the next write
        }

        /** Writes src; {@code more}: bytes follow before close, so a whole chunk at src's end is not the last. */
        private void write(ByteBuffer src, boolean more) throws IOException {
            if (closed) {
                throw new IOException("age payload writer is closed");
            }
            while (src.hasRemaining()) {
                // A full chunk is sealed only once more data arrives: the last one must be flagged.
                if (!buf.hasRemaining()) {
                    flush(false);
                }
                if (buf.position() == 0 && src.isDirect() && (src.remaining() > CHUNK || more && src.remaining() == CHUNK)) {
                    // A whole chunk that is not the last (more bytes are in hand, or promised): encrypt it where it lies.
                    seal(src.slice(src.position(), CHUNK), false);
                    src.position(src.position() + CHUNK);
                    continue;
                }
                int take = Math.min(src.remaining(), buf.remaining());
                buf.put(buf.position(), src, src.position(), take);
                buf.position(buf.position() + take);
                src.position(src.position() + take);
            }
        }

        private void flush(boolean last) throws IOException {
            seal(buf.flip(), last);
            buf.clear();
        }

        private void seal(ByteBuffer plain, boolean last) throws IOException {
            if (enc.remaining() < ENC_CHUNK) {
                drain();
            }
            chunkNonce(nonce, counter, last);
            cipher.seal(nonce, plain, enc);
            counter++;
        }

        /** Writes the sealed chunks gathered so far. */
        private void drain() throws IOException {
            enc.flip();
            while (enc.hasRemaining()) {
                dst.write(enc);
            }
            enc.clear();
        }

        /** Writes the final chunk and closes the channel. */
        @Override
        public void close() throws IOException {
            if (closed) {
                return;
            }
            closed = true;
            try (dst) {
                flush(true);
                drain();
            }
        }
    }
}
