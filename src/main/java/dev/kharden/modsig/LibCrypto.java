package dev.kharden.modsig;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.security.interfaces.RSAPublicKey;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The system's OpenSSL 3 libcrypto (libcrypto.so.3) through the FFM API, for the two costly steps of
 * verifying a module tree: hashing the signed content and the RSA public-key operation. It computes
 * only primitives (a digest, s^e mod n); every decision stays in Java ({@link Pkcs1} compares the
 * recovered block byte for byte), so the verdicts are the same with or without it. Absent library,
 * a missing symbol or {@code -Dkharden.libcrypto=off}: {@link #system()} is null and callers use the
 * JDK. Memory safety: every length handed to native code is the length of the segment passed with
 * it, checked here; RSA input is checked by the caller to be exactly the modulus length and below the
 * modulus, and the output buffer is the modulus length (what the raw public operation writes).
 */
final class LibCrypto {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final ValueLayout.OfLong SIZE_T = ValueLayout.JAVA_LONG;
    private static final int RSA_NO_PADDING = 3;
    /** Per-thread read buffer in native memory: files are read into it and hashed there, one copy. */
    static final int BUFFER = 256 << 10;
    /** Keys kept as EVP_PKEYs for the life of the process: the trusted ones; any beyond are freed after use. */
    private static final int MAX_KEYS = 64;

    private static final LibCrypto SYSTEM = load();

    private final MethodHandle mdByName;
    private final MethodHandle mdCtxNew;
    private final MethodHandle free;
    private final MethodHandle digestInit;
    private final MethodHandle digestUpdate;
    private final MethodHandle digestFinal;
    private final MethodHandle d2iRsaPubkey;
    private final MethodHandle rsaFree;
    private final MethodHandle rsaPublicDecrypt;
    private final Map<String, MemorySegment> digests = new ConcurrentHashMap<>();
    private final Map<RSAPublicKey, MemorySegment> keys = new ConcurrentHashMap<>();
    private final ThreadLocal<MemorySegment> buffers =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(BUFFER, 64));

    /**
     * Few distinct C signatures on purpose: the JDK spins one stub per signature (a few milliseconds
     * each at start), so the deprecated but single-call RSA_public_decrypt stands in for the EVP_PKEY
     * sequence, and the digest calls share shapes.
     */
    private LibCrypto(SymbolLookup lib) {
        var p = ValueLayout.ADDRESS;
        var i = ValueLayout.JAVA_INT;
        mdByName = handle(lib, "EVP_get_digestbyname", FunctionDescriptor.of(p, p));
        mdCtxNew = handle(lib, "EVP_MD_CTX_new", FunctionDescriptor.of(p));
        free = handle(lib, "EVP_MD_CTX_free", FunctionDescriptor.ofVoid(p));
        digestInit = handle(lib, "EVP_DigestInit_ex", FunctionDescriptor.of(i, p, p, p));
        digestUpdate = handle(lib, "EVP_DigestUpdate", FunctionDescriptor.of(i, p, p, SIZE_T));
        digestFinal = handle(lib, "EVP_DigestFinal_ex", FunctionDescriptor.of(i, p, p, p));
        d2iRsaPubkey = handle(lib, "d2i_RSA_PUBKEY", FunctionDescriptor.of(p, p, p, ValueLayout.JAVA_LONG));
        rsaFree = handle(lib, "RSA_free", FunctionDescriptor.ofVoid(p));
        rsaPublicDecrypt = handle(lib, "RSA_public_decrypt", FunctionDescriptor.of(i, i, p, p, p, i));
    }

    private static MethodHandle handle(SymbolLookup lib, String name, FunctionDescriptor fd) {
        return LINKER.downcallHandle(lib.findOrThrow(name), fd);
    }

    /** The system libcrypto, or null when it is absent, unusable or turned off. */
    static LibCrypto system() {
        return SYSTEM;
    }

    private static LibCrypto load() {
        SymbolLookup lib = dev.kharden.crypto.SystemLibCrypto.library().orElse(null);
        if (lib == null) {
            return null;
        }
        try {
            LibCrypto c = new LibCrypto(lib);
            // Proves the calls work (right library, right signatures) before anything relies on them.
            Hash h = c.hash("sha256");
            if (h == null) {
                return null;
            }
            h.update(new byte[] {'a', 'b', 'c'}, 0, 3);
            return java.util.HexFormat.of().formatHex(h.finish())
                    .equals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad") ? c : null;
        } catch (IllegalArgumentException | IllegalCallerException | UnsupportedOperationException
                 | java.util.NoSuchElementException e) {
            return null;
        }
    }

    /** This thread's native read buffer ({@link #BUFFER} bytes). */
    MemorySegment buffer() {
        return buffers.get();
    }

    /** A running digest named as OpenSSL and sign-file name it ("sha256", "sha3-256"), or null if unknown. */
    Hash hash(String name) {
        MemorySegment md = digests.computeIfAbsent(name, n -> {
            try (Arena a = Arena.ofConfined()) {
                return (MemorySegment) mdByName.invokeExact(a.allocateFrom(n));
            } catch (Throwable t) {
                throw rethrow(t);
            }
        });
        if (md.equals(MemorySegment.NULL)) {
            return null;
        }
        try {
            MemorySegment ctx = (MemorySegment) mdCtxNew.invokeExact();
            if (ctx.equals(MemorySegment.NULL)) {
                throw new OutOfMemoryError("EVP_MD_CTX_new");
            }
            Hash h = new Hash(ctx);
            if ((int) digestInit.invokeExact(ctx, md, MemorySegment.NULL) != 1) {
                h.close();
                return null;
            }
            return h;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** One digest in progress; {@link #finish} frees it (so does {@link #close}, for early exits). */
    final class Hash implements AutoCloseable {
        private MemorySegment ctx;

        private Hash(MemorySegment ctx) {
            this.ctx = ctx;
        }

        /** Adds bytes [0, length) of a native segment. */
        void update(MemorySegment data, long length) {
            Objects.checkFromIndexSize(0, length, data.byteSize());
            try {
                check((int) digestUpdate.invokeExact(live(), data, length));
            } catch (Throwable t) {
                throw rethrow(t);
            }
        }

        /** Adds bytes [off, off + len) of an array, copied through this thread's native buffer. */
        void update(byte[] b, int off, int len) {
            Objects.checkFromIndexSize(off, len, b.length);
            MemorySegment buf = buffer();
            for (int at = off, end = off + len; at < end; ) {
                int n = (int) Math.min(buf.byteSize(), end - at);
                MemorySegment.copy(b, at, buf, ValueLayout.JAVA_BYTE, 0, n);
                update(buf, n);
                at += n;
            }
        }

        byte[] finish() {
            try {
                // This thread's buffer, free once the updates are done: 64 bytes of digest, then its length.
                MemorySegment out = buffer().asSlice(0, 64);
                MemorySegment len = buffer().asSlice(64, ValueLayout.JAVA_INT.byteSize());
                check((int) digestFinal.invokeExact(live(), out, len));
                int n = len.get(ValueLayout.JAVA_INT, 0);
                Objects.checkFromIndexSize(0, n, out.byteSize());
                return out.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE);
            } catch (Throwable t) {
                throw rethrow(t);
            } finally {
                close();
            }
        }

        private MemorySegment live() {
            if (ctx == null) {
                throw new IllegalStateException("digest already finished");
            }
            return ctx;
        }

        @Override
        public void close() {
            if (ctx != null) {
                try {
                    free.invokeExact(ctx);
                } catch (Throwable t) {
                    throw rethrow(t);
                } finally {
                    ctx = null;
                }
            }
        }
    }

    /**
     * The raw RSA public operation s^e mod n as {@code k} bytes (k = the modulus length), or null when
     * libcrypto declines the key or the input (an exponent or size it refuses, s &gt;= n), so the
     * caller decides by itself. The signature must be exactly k bytes.
     */
    byte[] rsaPublic(RSAPublicKey key, byte[] signature) {
        int k = (key.getModulus().bitLength() + 7) / 8;
        if (signature.length != k) {
            throw new IllegalArgumentException("signature is " + signature.length + " bytes, modulus " + k);
        }
        if (2L * k > BUFFER) {
            return null;
        }
        MemorySegment cached = keys.get(key);
        boolean keep = cached != null || keys.size() < MAX_KEYS;
        MemorySegment rsa = cached != null ? cached : keep ? keys.computeIfAbsent(key, this::rsa) : rsa(key);
        if (rsa.equals(MemorySegment.NULL)) {
            return null;
        }
        try {
            // In this thread's buffer (no hash is running now): the signature, then the k bytes that
            // RSA_NO_PADDING writes (RSA_size, which is k for the key parsed from this modulus).
            MemorySegment sig = buffer().asSlice(0, k);
            MemorySegment.copy(signature, 0, sig, ValueLayout.JAVA_BYTE, 0, k);
            MemorySegment out = buffer().asSlice(k, k);
            int n = (int) rsaPublicDecrypt.invokeExact(k, sig, out, rsa, RSA_NO_PADDING);
            return n == k ? out.toArray(ValueLayout.JAVA_BYTE) : null;
        } catch (Throwable t) {
            throw rethrow(t);
        } finally {
            if (!keep) {
                freeRsa(rsa);
            }
        }
    }

    /** The key as an OpenSSL RSA, or NULL when libcrypto cannot read it. */
    private MemorySegment rsa(RSAPublicKey key) {
        byte[] der = key.getEncoded();
        if (der == null) {
            return MemorySegment.NULL;
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocateFrom(ValueLayout.JAVA_BYTE, der);
            MemorySegment pp = a.allocate(ValueLayout.ADDRESS);
            pp.set(ValueLayout.ADDRESS, 0, buf);
            return (MemorySegment) d2iRsaPubkey.invokeExact(MemorySegment.NULL, pp, (long) der.length);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private void freeRsa(MemorySegment rsa) {
        try {
            rsaFree.invokeExact(rsa);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static void check(int rc) {
        if (rc != 1) {
            throw new IllegalStateException("libcrypto digest call failed");
        }
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }
}
