package dev.kharden.age;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The age payload: STREAM over ChaCha20-Poly1305 in 64 KiB chunks, nonce = 11-byte big-endian
 * counter || last-chunk flag. Memory is a few chunk buffers whatever the file size. The reader
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
         * Encrypts the whole of {@code plain} into {@code out} (ciphertext, then tag), both native
         * memory; returns plain's size + TAG.
         */
        int seal(byte[] nonce, MemorySegment plain, MemorySegment out);

        /**
         * Decrypts the whole of {@code in} (ciphertext, then tag) into {@code out}, both native
         * memory; the plaintext length, or -1 when the tag does not verify.
         */
        int open(byte[] nonce, MemorySegment in, MemorySegment out);
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
        public int seal(byte[] nonce, MemorySegment plain, MemorySegment out) {
            return run(Cipher.ENCRYPT_MODE, nonce, plain.asByteBuffer(), out.asByteBuffer());
        }

        @Override
        public int open(byte[] nonce, MemorySegment in, MemorySegment out) {
            return run(Cipher.DECRYPT_MODE, nonce, in.asByteBuffer(), out.asByteBuffer());
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

    /** Decrypting side: an InputStream of verified plaintext. */
    static final class Reader extends InputStream {
        private final InputStream src;
        private final ChunkCipher cipher;
        private final byte[] nonce = new byte[12];
        private final byte[] in = new byte[ENC_CHUNK];
        private final byte[] out = new byte[CHUNK];
        private int pos;
        private int limit;
        private long counter;
        private boolean done;
        private boolean trailingChecked;
        private AgeException failure;

        Reader(InputStream src, byte[] payloadKey) {
            this(src, chunkCipher(payloadKey, false));
        }

        Reader(InputStream src, ChunkCipher cipher) {
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
            while (pos == limit) {
                if (failure != null) {
                    throw failure;
                }
                if (done) {
                    // The final chunk was released; EOF only if nothing follows it.
                    if (!trailingChecked) {
                        trailingChecked = true;
                        if (src.read() >= 0) {
                            failure = fail("trailing data after the final chunk");
                            throw failure;
                        }
                    }
                    return -1;
                }
                nextChunk();
            }
            int n = Math.min(len, limit - pos);
            System.arraycopy(out, pos, b, off, n);
            pos += n;
            return n;
        }

        @Override
        public int available() {
            return limit - pos;
        }

        private void nextChunk() throws IOException {
            try {
                int n = src.readNBytes(in, 0, ENC_CHUNK);
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
                counter++;
                pos = 0;
                limit = plain;
                done = last;
            } catch (AgeException e) {
                failure = e;
                throw e;
            }
        }

        /** Decrypts {@code in[0..n)} into {@code out}; -1 when the tag does not verify. */
        private int decrypt(int n, boolean last) {
            chunkNonce(nonce, counter, last);
            return cipher.open(nonce, in, n, out);
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
        // Native memory, freed by the garbage collector once the writer is unreachable: never while a
        // call into native code still uses it, even when the process is being shut down.
        private final MemorySegment buf;
        private final MemorySegment enc;
        private int len;
        private long encLen;
        private long counter;
        private boolean closed;

        Writer(WritableByteChannel dst, byte[] payloadKey) {
            this(dst, chunkCipher(payloadKey, true));
        }

        Writer(WritableByteChannel dst, ChunkCipher cipher) {
            this.dst = dst;
            this.cipher = cipher;
            Arena arena = Arena.ofAuto();
            this.buf = arena.allocate(CHUNK, 64);
            this.enc = arena.allocate((long) OUT_CHUNKS * ENC_CHUNK, 64);
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int n) throws IOException {
            java.util.Objects.checkFromIndexSize(off, n, b.length);
            write(MemorySegment.ofArray(b).asSlice(off, n));
        }

        @Override
        public void write(MemorySegment src) throws IOException {
            if (closed) {
                throw new IOException("age payload writer is closed");
            }
            long off = 0;
            long n = src.byteSize();
            while (n > 0) {
                // A full chunk is sealed only once more data arrives: the last one must be flagged.
                if (len == CHUNK) {
                    flush(false);
                }
                if (len == 0 && n > CHUNK && src.isNative()) {
                    // More than a chunk in hand, so this one is not the last: encrypt it where it lies.
                    seal(src.asSlice(off, CHUNK), false);
                    off += CHUNK;
                    n -= CHUNK;
                    continue;
                }
                int take = (int) Math.min(n, CHUNK - len);
                MemorySegment.copy(src, off, buf, len, take);
                len += take;
                off += take;
                n -= take;
            }
        }

        private void flush(boolean last) throws IOException {
            seal(buf.asSlice(0, len), last);
            len = 0;
        }

        private void seal(MemorySegment plain, boolean last) throws IOException {
            if (encLen + ENC_CHUNK > enc.byteSize()) {
                drain();
            }
            chunkNonce(nonce, counter, last);
            encLen += cipher.seal(nonce, plain, enc.asSlice(encLen, plain.byteSize() + TAG));
            counter++;
        }

        /** Writes the sealed chunks gathered so far. */
        private void drain() throws IOException {
            ByteBuffer out = enc.asSlice(0, encLen).asByteBuffer();
            while (out.hasRemaining()) {
                dst.write(out);
            }
            encLen = 0;
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
