package dev.kharden.modsig;

import dev.kharden.crypto.JniCrypto;
import dev.kharden.crypto.NativeDigest;
import dev.kharden.crypto.NativeLibraries;
import dev.kharden.crypto.SystemLibCrypto;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.security.interfaces.RSAPublicKey;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The system's OpenSSL 3 libcrypto (libcrypto.so.3), for the two costly steps of verifying a module
 * tree: hashing the signed content and the RSA public-key operation. It is reached through kharden's
 * JNI bridge ({@link JniCrypto}) when that is built, else through the FFM API. It computes
 * only primitives (a digest, s^e mod n); every decision stays in Java ({@link Pkcs1} compares the
 * recovered block byte for byte), so the verdicts are the same with or without it. Absent library,
 * a missing symbol or {@code -Dkharden.libcrypto=off}: {@link #system()} is null and callers use the
 * JDK. Memory safety: every length handed to native code is the length of the segment or array
 * passed with it, checked here; RSA input is checked by the caller to be exactly the modulus length and below the
 * modulus, and the output buffer is the modulus length (what the raw public operation writes).
 */
final class LibCrypto {
    private static final int RSA_NO_PADDING = 3;
    /** Per-thread read buffer in native memory: files are read into it and hashed there, one copy. */
    static final int BUFFER = 256 << 10;
    /** Keys kept as libcrypto RSA objects for the life of the process: the trusted ones; any beyond are freed after use. */
    private static final int MAX_KEYS = 64;

    private static final LibCrypto SYSTEM = load();

    /** The three RSA calls through the FFM API, or all null when the JNI bridge makes them. */
    private final MethodHandle d2iRsaPubkey;
    private final MethodHandle rsaFree;
    private final MethodHandle rsaPublicDecrypt;
    /** libcrypto RSA objects (addresses) by key. */
    private final Map<RSAPublicKey, Long> keys = new ConcurrentHashMap<>();

    private record KeptKey(RSAPublicKey key, long rsa) {
    }

    private volatile KeptKey lastKey;
    private final ThreadLocal<MemorySegment> buffers =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(BUFFER, 64));

    /** Through kharden's JNI bridge ({@link JniCrypto}). */
    private LibCrypto() {
        d2iRsaPubkey = null;
        rsaFree = null;
        rsaPublicDecrypt = null;
    }

    /**
     * Through the FFM API, with few distinct C signatures on purpose: the JDK spins one stub per
     * signature (a few milliseconds each at start), so the deprecated but single-call
     * RSA_public_decrypt stands in for the EVP_PKEY sequence. Digests come from {@link NativeDigest},
     * shared with sealing.
     */
    private LibCrypto(SymbolLookup lib) {
        var p = ValueLayout.ADDRESS;
        var i = ValueLayout.JAVA_INT;
        d2iRsaPubkey = handle(lib, "d2i_RSA_PUBKEY", FunctionDescriptor.of(p, p, p, ValueLayout.JAVA_LONG));
        rsaFree = handle(lib, "RSA_free", FunctionDescriptor.ofVoid(p));
        rsaPublicDecrypt = handle(lib, "RSA_public_decrypt", FunctionDescriptor.of(i, i, p, p, p, i));
    }

    private static MethodHandle handle(SymbolLookup lib, String name, FunctionDescriptor fd) {
        return Linker.nativeLinker().downcallHandle(lib.findOrThrow(name), fd);
    }

    /** The system libcrypto, or null when it is absent, unusable or turned off. */
    static LibCrypto system() {
        return SYSTEM;
    }

    private static LibCrypto load() {
        if (!NativeDigest.available()) { // the digests prove the library on a known answer
            return null;
        }
        return NativeDigest.viaJni() ? new LibCrypto() : ffm();
    }

    /**
     * libcrypto through the FFM API: the path when the JNI bridge is not built, and the one tests
     * compare the bridge with. Null without the library.
     */
    static LibCrypto ffm() {
        SymbolLookup lib = NativeDigest.available() ? SystemLibCrypto.library().orElse(null) : null;
        try {
            return lib == null ? null : new LibCrypto(lib);
        } catch (IllegalArgumentException | IllegalCallerException | UnsupportedOperationException
                 | java.util.NoSuchElementException e) {
            // A fallback, not dead code: a symbol missing or native access refused, so modules are
            // verified with the JDK instead (same verdicts; LibCryptoTest compares the two).
            return null;
        }
    }

    /** Whether the RSA calls go through the JNI bridge (else the FFM API). */
    boolean viaJni() {
        return rsaPublicDecrypt == null;
    }

    /** This thread's native read buffer ({@link #BUFFER} bytes). */
    MemorySegment buffer() {
        return buffers.get();
    }

    /** A running digest named as OpenSSL and sign-file name it ("sha256", "sha3-256"), or null if unknown. */
    NativeDigest hash(String name) {
        return NativeDigest.start(name);
    }

    /**
     * The raw RSA public operation s^e mod n as {@code k} bytes (k = the modulus length), or null when
     * libcrypto declines the key or the input (an exponent or size it refuses, s &gt;= n), so the
     * caller decides by itself. The signature must be exactly k bytes.
     */
    byte[] rsaPublic(RSAPublicKey key, byte[] signature) {
        int k = Pkcs1.Modulus.of(key).length;
        if (signature.length != k) {
            throw new IllegalArgumentException("signature is " + signature.length + " bytes, modulus " + k);
        }
        if (2L * k > BUFFER) {
            return null;
        }
        KeptKey last = lastKey;
        // The key of the previous call, compared by identity: a tree has one signing key, and a map
        // lookup would hash the key's whole encoding for every module.
        Long cached = last != null && last.key() == key ? Long.valueOf(last.rsa()) : keys.get(key);
        boolean keep = cached != null || keys.size() < MAX_KEYS;
        long rsa = cached != null ? cached : keep ? keys.computeIfAbsent(key, this::rsa) : rsa(key);
        if (keep && (last == null || last.key() != key)) {
            lastKey = new KeptKey(key, rsa); // kept keys are never freed, so this handle stays valid
        }
        if (rsa == 0) {
            return null;
        }
        try {
            return viaJni() ? rsaPublicJni(rsa, signature, k) : rsaPublicFfm(rsa, signature, k);
        } finally {
            if (!keep) {
                freeRsa(rsa);
            }
        }
    }

    private static byte[] rsaPublicJni(long rsa, byte[] signature, int k) {
        byte[] out = new byte[k];
        return JniCrypto.rsaPublic(rsa, signature, out) == k ? out : null;
    }

    private byte[] rsaPublicFfm(long rsa, byte[] signature, int k) {
        try {
            // In this thread's buffer (no hash is running now): the signature, then the k bytes that
            // RSA_NO_PADDING writes (RSA_size, which is k for the key parsed from this modulus).
            MemorySegment sig = buffer().asSlice(0, k);
            MemorySegment.copy(signature, 0, sig, ValueLayout.JAVA_BYTE, 0, k);
            MemorySegment out = buffer().asSlice(k, k);
            int n = (int) rsaPublicDecrypt.invokeExact(k, sig, out, MemorySegment.ofAddress(rsa), RSA_NO_PADDING);
            return n == k ? out.toArray(ValueLayout.JAVA_BYTE) : null;
        } catch (Throwable t) {
            throw NativeLibraries.rethrow(t);
        }
    }

    /** The key as an OpenSSL RSA object (its address), or 0 when libcrypto cannot read it. */
    private long rsa(RSAPublicKey key) {
        byte[] der = key.getEncoded();
        if (der == null) {
            return 0;
        }
        if (viaJni()) {
            return JniCrypto.rsaFromDer(der);
        }
        try (Arena a = Arena.ofConfined()) {
            MemorySegment buf = a.allocateFrom(ValueLayout.JAVA_BYTE, der);
            MemorySegment pp = a.allocate(ValueLayout.ADDRESS);
            pp.set(ValueLayout.ADDRESS, 0, buf);
            return ((MemorySegment) d2iRsaPubkey.invokeExact(MemorySegment.NULL, pp, (long) der.length)).address();
        } catch (Throwable t) {
            throw NativeLibraries.rethrow(t);
        }
    }

    private void freeRsa(long rsa) {
        if (viaJni()) {
            JniCrypto.rsaFree(rsa);
            return;
        }
        try {
            rsaFree.invokeExact(MemorySegment.ofAddress(rsa));
        } catch (Throwable t) {
            throw NativeLibraries.rethrow(t);
        }
    }
}
