package dev.kharden.crypto;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * kharden's JNI bridge to libcrypto.so.3 ({@code src/main/c/kharden_crypto.c}, built next to the jar
 * as {@code native/libkharden_crypto.so} when a C compiler is there): message digests, the raw RSA
 * public operation and ChaCha20-Poly1305 chunks, the calls made per module and per buffer. Linking the same calls through the
 * FFM API makes the JDK generate classes at run time, about 40 ms of CPU at each start; loading this
 * library is one {@code dlopen}. The same library also carries kharden's reader of the kernel log
 * device ({@code kharden_kmsg.c}, see dev.kharden.seal.KmsgDevice), which needs no libcrypto
 * ({@link #bridgeLoaded()}).
 *
 * <p>{@link #available()} is false, and callers use the FFM API (then the JDK) instead, when the
 * folder property {@value #DIR_PROPERTY} is unset (bin/kharden and the test run set it), the library
 * was not built, it or libcrypto.so.3 cannot be loaded, or {@code -Dkharden.jni=off} or
 * {@code -Dkharden.libcrypto=off} is given. Callers check every index and length before a call; the C
 * side checks again against the arrays it is given.
 */
public final class JniCrypto {
    /** The system property naming the folder that holds {@code libkharden_crypto.so}. */
    public static final String DIR_PROPERTY = "kharden.native.dir";
    /** Set to {@code off}, the bridge is not loaded: libcrypto and the kernel log are reached through FFM (tests compare the two). */
    public static final String SWITCH = "kharden.jni";
    static final String LIBRARY = "libkharden_crypto.so";

    private static final boolean LOADED = loadLibrary();
    private static final boolean AVAILABLE = LOADED && !SystemLibCrypto.switchedOff() && initSafely();

    private JniCrypto() {
    }

    /** Whether the bridge is loaded and found every libcrypto function it calls. */
    public static boolean available() {
        return AVAILABLE;
    }

    private static final boolean X25519 = AVAILABLE && x25519Safely();

    /** Whether {@link #x25519} is there: the bridge is {@link #available()} and libcrypto has X25519. */
    public static boolean hasX25519() {
        return X25519;
    }

    private static boolean x25519Safely() {
        try {
            return x25519Available();
        } catch (UnsatisfiedLinkError e) {
            return false; // a library from another build without this function
        }
    }

    private static native boolean x25519Available();

    /**
     * X25519(scalar, u) of RFC 7748 into {@code out}, all 32 bytes: 1; 0 when libcrypto refuses,
     * as it does for an all-zero result (a low-order u); -1 on bad lengths or a failed allocation.
     * Only when {@link #hasX25519()}.
     */
    public static native int x25519(byte[] scalar, byte[] u, byte[] out);

    /**
     * Whether the bridge library itself is loaded, libcrypto or not: its non-crypto calls (the
     * kernel log device, see dev.kharden.seal.KmsgDevice) need nothing more.
     */
    public static boolean bridgeLoaded() {
        return LOADED;
    }

    private static boolean loadLibrary() {
        String dir = System.getProperty(DIR_PROPERTY);
        if (dir == null || "off".equals(System.getProperty(SWITCH))) {
            return false;
        }
        Path lib = Path.of(dir, LIBRARY).toAbsolutePath();
        if (!Files.isRegularFile(lib)) {
            return false;
        }
        try {
            System.load(lib.toString());
            return true;
        } catch (UnsatisfiedLinkError | SecurityException | IllegalCallerException e) {
            return false; // not loadable here (another architecture, native access refused): FFM instead
        }
    }

    private static boolean initSafely() {
        try {
            return init();
        } catch (UnsatisfiedLinkError e) {
            return false; // a library from another build without this function: FFM instead
        }
    }

    private static native boolean init();

    /** EVP_get_digestbyname on a NUL-terminated ASCII name: the digest, or 0 when unknown. */
    static native long digestByName(byte[] nameZ);

    /** A context initialised for the digest {@code md}, or 0. */
    static native long digestStart(long md);

    static native void digestFree(long ctx);

    /** Hashes {@code len} bytes of native memory at {@code address}; 1 on success. */
    static native int digestUpdateNative(long ctx, long address, long len);

    /** Hashes {@code b[off, off + len)} of a direct buffer, whatever its position; 1 on success. */
    static native int digestUpdateBuffer(long ctx, ByteBuffer b, int off, int len);

    /** Hashes {@code b[off, off + len)}; 1 on success. */
    static native int digestUpdate(long ctx, byte[] b, int off, int len);

    /** Writes the digest to {@code out} (64 bytes or more) and returns its length, or -1. */
    static native int digestFinish(long ctx, byte[] out);

    /** An RSA public key read from its DER SubjectPublicKeyInfo, or 0. */
    public static native long rsaFromDer(byte[] der);

    public static native void rsaFree(long rsa);

    /**
     * The raw public operation s^e mod n on a signature of exactly the modulus length, into
     * {@code out[0, k)}; returns k, or -1 when libcrypto declines (s &gt;= n, a key it refuses).
     */
    public static native int rsaPublic(long rsa, byte[] signature, byte[] out);

    /** A ChaCha20-Poly1305 context under a 32-byte key, for encrypting or decrypting; 0 on failure. */
    public static native long aeadNew(byte[] key, boolean encrypt);

    public static native void aeadFree(long ctx);

    /**
     * Encrypts {@code in[off, off + n)} under a 12-byte nonce into {@code out[0, n)} and its tag into
     * {@code out[n, n + 16)}; returns n + 16, or -2 when a range or a call fails.
     */
    public static native int aeadSeal(long ctx, byte[] nonce, byte[] in, int off, int n, byte[] out);

    /**
     * Decrypts {@code in[off, off + n)}, whose 16-byte tag follows it, into {@code out[0, n)}; returns n,
     * -1 when the tag does not verify (then {@code out} holds unauthenticated bytes), -2 on a bad range
     * or a failed call.
     */
    public static native int aeadOpen(long ctx, byte[] nonce, byte[] in, int off, int n, byte[] out);

    /**
     * As {@link #aeadSeal}, on direct buffers: encrypts {@code in[inOff, inOff + n)} into
     * {@code out[outOff, outOff + n + 16)}, ciphertext then tag, whatever the buffers' positions. -2
     * also when a buffer is not direct or a range exceeds its capacity (checked by the C side).
     */
    public static native int aeadSealBuffer(long ctx, byte[] nonce, ByteBuffer in, int inOff, int n, ByteBuffer out,
            int outOff);

    /**
     * As {@link #aeadOpen}, on direct buffers: {@code in[inOff, inOff + n)} is ciphertext, the tag
     * follows it, and the plaintext goes to {@code out[outOff, outOff + n)}.
     */
    public static native int aeadOpenBuffer(long ctx, byte[] nonce, ByteBuffer in, int inOff, int n, ByteBuffer out,
            int outOff);
}
