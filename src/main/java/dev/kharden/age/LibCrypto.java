package dev.kharden.age;

import dev.kharden.crypto.JniCrypto;
import dev.kharden.crypto.NativeDigest;
import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.ref.Cleaner;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;

/**
 * ChaCha20-Poly1305 and SHA-256 from the system's OpenSSL 3 ({@code libcrypto.so.3}), called on
 * the Java arrays themselves or on native memory (read buffers, sealed chunks), never on a copy.
 * Why: the JDK's ChaCha20, Poly1305 and SHA-256 intrinsics exist only in C2, so a short-lived JVM
 * runs the first tens of MiB of a bundle through interpreted and C1 code (about 0.4 s of CPU per
 * seal or unseal); OpenSSL's assembly runs at full speed from the first byte.
 *
 * <p>Only these two primitives come from OpenSSL; the age format (STREAM, nonces, chunk rules) stays
 * in {@link Payload}. When libcrypto.so.3 is absent or cannot be linked, or the system property
 * {@code kharden.libcrypto=off} is set (see {@link dev.kharden.crypto.SystemLibCrypto}), {@link #available()} is false and callers use the JDK's
 * implementations, which give byte-identical results.
 */
public final class LibCrypto {
    private static final int EVP_CTRL_AEAD_GET_TAG = 0x10;
    private static final int EVP_CTRL_AEAD_SET_TAG = 0x11;
    private static final Cleaner CLEANER = Cleaner.create();
    /** ChaCha20-Poly1305 through kharden's JNI bridge, or else through the FFM API ({@link #FN}). */
    private static final boolean JNI = JniCrypto.available() && NativeDigest.available();
    private static final Functions FN = JNI ? null : load();

    /** The FFM functions: those in use, or, with the bridge in use, linked on first need (tests compare both). */
    private static Functions ffm() {
        return FN != null ? FN : LazyFfm.FN;
    }

    private static final class LazyFfm {
        static final Functions FN = load();
    }

    /** Whether ChaCha20-Poly1305 can also be reached through the FFM API (for tests comparing paths). */
    static boolean ffmAvailable() {
        return ffm() != null;
    }

    private LibCrypto() {
    }

    /** The libcrypto functions used, or none of them. */
    private record Functions(MethodHandle cipherCtxNew, MethodHandle cipherCtxFree, MemorySegment chachaPoly,
            MethodHandle cipherInit, MethodHandle cipherUpdate, MethodHandle cipherFinal, MethodHandle cipherCtrl) {
    }

    private static Functions load() {
        SymbolLookup lib = dev.kharden.crypto.SystemLibCrypto.library().orElse(null);
        if (lib == null) {
            return null;
        }
        try {
            Linker linker = Linker.nativeLinker();
            // critical: the calls are short and take Java arrays directly (heap segments), no copy.
            Linker.Option heap = Linker.Option.critical(true);
            FunctionDescriptor ptrOfNothing = FunctionDescriptor.of(ADDRESS);
            FunctionDescriptor freePtr = FunctionDescriptor.ofVoid(ADDRESS);
            MethodHandle chacha = linker.downcallHandle(lib.findOrThrow("EVP_chacha20_poly1305"), ptrOfNothing);
            Functions f = new Functions(
                    linker.downcallHandle(lib.findOrThrow("EVP_CIPHER_CTX_new"), ptrOfNothing),
                    linker.downcallHandle(lib.findOrThrow("EVP_CIPHER_CTX_free"), freePtr),
                    (MemorySegment) chacha.invokeExact(),
                    linker.downcallHandle(lib.findOrThrow("EVP_CipherInit_ex"),
                            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_INT), heap),
                    linker.downcallHandle(lib.findOrThrow("EVP_CipherUpdate"),
                            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, JAVA_INT), heap),
                    linker.downcallHandle(lib.findOrThrow("EVP_CipherFinal_ex"),
                            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS), heap),
                    linker.downcallHandle(lib.findOrThrow("EVP_CIPHER_CTX_ctrl"),
                            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS), heap));
            if (f.chachaPoly().equals(MemorySegment.NULL) || !NativeDigest.available()) {
                return null;
            }
            return f;
        } catch (Throwable e) {
            // No OpenSSL 3, a symbol missing, or native access refused: the JDK's code is used.
            return null;
        }
    }

    /** True when libcrypto.so.3 is linked and used for ChaCha20-Poly1305 and SHA-256. */
    public static boolean available() {
        return JNI || FN != null;
    }

    /** True when ChaCha20-Poly1305 goes through kharden's JNI bridge. */
    static boolean jniAvailable() {
        return JNI;
    }

    /** The ChaCha20-Poly1305 of libcrypto under {@code key}, through the JNI bridge when it is there. */
    static Payload.ChunkCipher chaChaPoly(byte[] key, boolean encrypt) {
        return JNI ? new JniChaChaPoly(key, encrypt) : new ChaChaPoly(key, encrypt);
    }

    /** ChaCha20-Poly1305 through the JNI bridge: one call per chunk (nonce, cipher, tag). */
    static final class JniChaChaPoly implements Payload.ChunkCipher {
        private final long ctx;

        JniChaChaPoly(byte[] key, boolean encrypt) {
            if (key.length != 32) {
                throw new IllegalArgumentException("ChaCha20-Poly1305 needs a 32-byte key");
            }
            long c = JniCrypto.aeadNew(key, encrypt);
            if (c == 0) {
                throw new IllegalStateException("libcrypto context allocation failed");
            }
            this.ctx = c;
            CLEANER.register(this, () -> JniCrypto.aeadFree(c));
        }

        private static void checkNonce(byte[] nonce) {
            if (nonce.length != 12) {
                throw new IllegalArgumentException("ChaCha20-Poly1305 needs a 12-byte nonce");
            }
        }

        @Override
        public int seal(byte[] nonce, byte[] plain, int off, int n, byte[] out) {
            checkNonce(nonce);
            Objects.checkFromIndexSize(off, n, plain.length);
            Objects.checkFromIndexSize(0, n + 16, out.length);
            int r = JniCrypto.aeadSeal(ctx, nonce, plain, off, n, out);
            java.lang.ref.Reference.reachabilityFence(this); // the context lives as long as this call
            if (r != n + 16) {
                throw new IllegalStateException("libcrypto cipher failed");
            }
            return r;
        }

        @Override
        public int open(byte[] nonce, byte[] in, int n, byte[] out) {
            if (n < 16) {
                return -1;
            }
            checkNonce(nonce);
            int plain = n - 16;
            Objects.checkFromIndexSize(0, n, in.length);
            Objects.checkFromIndexSize(0, plain, out.length);
            int r = JniCrypto.aeadOpen(ctx, nonce, in, 0, plain, out);
            java.lang.ref.Reference.reachabilityFence(this);
            if (r == -2) {
                throw new IllegalStateException("libcrypto cipher failed");
            }
            return r;
        }

        @Override
        public int seal(byte[] nonce, ByteBuffer plain, ByteBuffer out) {
            checkNonce(nonce);
            int n = plain.remaining();
            checkRoom(plain, out, n + 16);
            int r = JniCrypto.aeadSealBuffer(ctx, nonce, plain, plain.position(), n, out, out.position());
            java.lang.ref.Reference.reachabilityFence(this);
            if (r != n + 16) {
                throw new IllegalStateException("libcrypto cipher failed");
            }
            plain.position(plain.limit());
            out.position(out.position() + r);
            return r;
        }

        @Override
        public int open(byte[] nonce, ByteBuffer in, ByteBuffer out) {
            checkNonce(nonce);
            if (in.remaining() < 16) {
                return -1;
            }
            int plain = in.remaining() - 16;
            checkRoom(in, out, plain);
            int r = JniCrypto.aeadOpenBuffer(ctx, nonce, in, in.position(), plain, out, out.position());
            java.lang.ref.Reference.reachabilityFence(this);
            if (r == -2) {
                throw new IllegalStateException("libcrypto cipher failed");
            }
            if (r >= 0) {
                in.position(in.limit());
                out.position(out.position() + r);
            }
            return r;
        }

        /** Both buffers direct (the bridge takes their addresses), and {@code room} bytes left in {@code out}. */
        private static void checkRoom(ByteBuffer in, ByteBuffer out, int room) {
            if (!in.isDirect() || !out.isDirect()) {
                throw new IllegalArgumentException("not a direct buffer");
            }
            if (out.remaining() < room) {
                throw new IndexOutOfBoundsException(room + " bytes needed, " + out.remaining() + " left");
            }
        }
    }

    /** One libcrypto call that returns 1 on success. */
    @FunctionalInterface
    private interface Call {
        int run() throws Throwable;
    }

    /** Runs {@code c}; anything but 1 (or a linker failure) is an IllegalStateException. */
    private static void check(Call c, String what) {
        int ok;
        try {
            ok = c.run();
        } catch (Error | RuntimeException e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
        if (ok != 1) {
            throw new IllegalStateException("libcrypto " + what + " failed");
        }
    }

    /** Allocates a libcrypto context that is freed once {@code owner} is unreachable. */
    private static MemorySegment context(Object owner, MethodHandle newCtx, MethodHandle free) {
        MemorySegment[] ctx = new MemorySegment[1];
        check(() -> {
            ctx[0] = (MemorySegment) newCtx.invokeExact();
            return ctx[0].equals(MemorySegment.NULL) ? 0 : 1;
        }, "context allocation");
        MemorySegment c = ctx[0];
        CLEANER.register(owner, () -> check(() -> {
            free.invokeExact(c);
            return 1;
        }, "context free"));
        return c;
    }

    private static MemorySegment slice(byte[] a, int off, int len) {
        return MemorySegment.ofArray(a).asSlice(off, len);
    }

    /** ChaCha20-Poly1305 (RFC 8439, no associated data) through the FFM API, under one key, one 12-byte nonce per call. */
    static final class ChaChaPoly implements Payload.ChunkCipher {
        private static final Functions F = ffm();
        private final MemorySegment ctx;
        private final int encrypt;
        private final int[] outLen = new int[1];

        ChaChaPoly(byte[] key, boolean encrypt) {
            if (key.length != 32) {
                throw new IllegalArgumentException("ChaCha20-Poly1305 needs a 32-byte key");
            }
            this.ctx = context(this, F.cipherCtxNew(), F.cipherCtxFree());
            this.encrypt = encrypt ? 1 : 0;
            check(() -> (int) F.cipherInit().invokeExact(ctx, F.chachaPoly(), MemorySegment.NULL,
                    MemorySegment.ofArray(key), MemorySegment.NULL, this.encrypt), "cipher init");
        }

        /** Checks that a chunk of n bytes fits libcrypto's int lengths and {@code out} has {@code room} bytes. */
        private static void checkRoom(long n, long room, MemorySegment out) {
            if (n > Integer.MAX_VALUE - 16 || out.byteSize() < room) {
                throw new IndexOutOfBoundsException("a chunk of " + n + " bytes, " + out.byteSize() + " bytes of room");
            }
        }

        /** Sets the nonce and runs the cipher over the first n bytes of {@code in} into {@code out}. */
        private void start(byte[] nonce, MemorySegment in, MemorySegment out, long n) {
            if (nonce.length != 12) {
                throw new IllegalArgumentException("ChaCha20-Poly1305 needs a 12-byte nonce");
            }
            check(() -> (int) F.cipherInit().invokeExact(ctx, MemorySegment.NULL, MemorySegment.NULL,
                    MemorySegment.NULL, MemorySegment.ofArray(nonce), encrypt), "cipher nonce");
            if (n > 0) {
                check(() -> (int) F.cipherUpdate().invokeExact(ctx, out, MemorySegment.ofArray(outLen), in, (int) n),
                        "cipher update");
                if (outLen[0] != n) {
                    throw new IllegalStateException("libcrypto cipher update returned " + outLen[0] + " of " + n + " bytes");
                }
            }
        }

        /** Encrypts {@code plain[off, off+n)} into {@code out}: n bytes, then the 16-byte tag; returns n + 16. */
        @Override
        public int seal(byte[] nonce, byte[] plain, int off, int n, byte[] out) {
            Objects.checkFromIndexSize(off, n, plain.length);
            Objects.checkFromIndexSize(0, n + 16, out.length);
            return seal(nonce, slice(plain, off, n), slice(out, 0, n + 16));
        }

        /**
         * Decrypts {@code in[0, n)} (ciphertext then tag) into {@code out}; the plaintext length, or
         * -1 when the tag does not verify (then {@code out} holds unauthenticated bytes: discard them).
         */
        @Override
        public int open(byte[] nonce, byte[] in, int n, byte[] out) {
            if (n < 16) {
                return -1;
            }
            Objects.checkFromIndexSize(0, n, in.length);
            Objects.checkFromIndexSize(0, n - 16, out.length);
            return open(nonce, slice(in, 0, n), slice(out, 0, n - 16));
        }

        @Override
        public int seal(byte[] nonce, ByteBuffer plain, ByteBuffer out) {
            int r = seal(nonce, MemorySegment.ofBuffer(plain), MemorySegment.ofBuffer(out));
            plain.position(plain.limit());
            out.position(out.position() + r);
            return r;
        }

        @Override
        public int open(byte[] nonce, ByteBuffer in, ByteBuffer out) {
            int r = open(nonce, MemorySegment.ofBuffer(in), MemorySegment.ofBuffer(out));
            if (r >= 0) {
                in.position(in.limit());
                out.position(out.position() + r);
            }
            return r;
        }

        /** As the array form; the segments may be native memory or a Java array's. */
        private int seal(byte[] nonce, MemorySegment plain, MemorySegment out) {
            long n = plain.byteSize();
            checkRoom(n, n + 16, out);
            start(nonce, plain, out, n);
            check(() -> (int) F.cipherFinal().invokeExact(ctx, out.asSlice(n, 0), MemorySegment.ofArray(outLen)),
                    "cipher final");
            check(() -> (int) F.cipherCtrl().invokeExact(ctx, EVP_CTRL_AEAD_GET_TAG, 16, out.asSlice(n, 16)), "get tag");
            return (int) n + 16;
        }

        /** As the array form; the segments may be native memory or a Java array's. */
        private int open(byte[] nonce, MemorySegment in, MemorySegment out) {
            if (in.byteSize() < 16) {
                return -1;
            }
            long plain = in.byteSize() - 16;
            checkRoom(plain, plain, out);
            start(nonce, in, out, plain);
            check(() -> (int) F.cipherCtrl().invokeExact(ctx, EVP_CTRL_AEAD_SET_TAG, 16, in.asSlice(plain, 16)), "set tag");
            int[] ok = new int[1];
            check(() -> {
                ok[0] = (int) F.cipherFinal().invokeExact(ctx, out.asSlice(plain, 0), MemorySegment.ofArray(outLen));
                return 1;
            }, "cipher final");
            return ok[0] == 1 ? (int) plain : -1;
        }
    }

    /** SHA-256: libcrypto's ({@link NativeDigest}) when {@link #available()}, else the JDK's. */
    public static MessageDigest sha256() {
        if (available()) {
            return new Sha256();
        }
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The MessageDigest face of a native SHA-256; its context is freed once the digest is unreachable. */
    private static final class Sha256 extends MessageDigest {
        private final NativeDigest[] current = new NativeDigest[1];

        Sha256() {
            super("SHA-256");
            NativeDigest[] holder = current;
            engineReset();
            CLEANER.register(this, () -> {
                if (holder[0] != null) {
                    holder[0].close();
                }
            });
        }

        @Override
        protected int engineGetDigestLength() {
            return 32;
        }

        @Override
        protected void engineUpdate(byte input) {
            engineUpdate(new byte[] {input}, 0, 1);
        }

        @Override
        protected void engineUpdate(byte[] input, int offset, int len) {
            current[0].update(input, offset, len);
        }

        /** A direct buffer (a read buffer in native memory) is hashed where it lies, not copied out. */
        @Override
        protected void engineUpdate(ByteBuffer input) {
            if (!input.isDirect()) {
                super.engineUpdate(input);
                return;
            }
            current[0].update(input);
        }

        @Override
        protected byte[] engineDigest() {
            byte[] out = current[0].finish();
            current[0] = null;
            engineReset();
            return out;
        }

        @Override
        protected void engineReset() {
            if (current[0] != null) {
                current[0].close();
            }
            current[0] = Objects.requireNonNull(NativeDigest.start("sha256"), "libcrypto lost SHA-256");
        }
    }
}
