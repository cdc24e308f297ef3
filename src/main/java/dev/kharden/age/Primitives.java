package dev.kharden.age;

import dev.kharden.crypto.JniCrypto;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.math.ec.rfc7748.X25519;

/**
 * The age primitives: X25519 (RFC 7748, libcrypto's or BouncyCastle's arithmetic), HKDF-SHA-256
 * (RFC 5869) and
 * ChaCha20-Poly1305 (RFC 8439) on the JDK's providers. An all-zero X25519 result (a low-order
 * share), which age refuses, surfaces as {@link InvalidKeyException}.
 */
final class Primitives {
    static final byte[] BASEPOINT = new byte[32];
    private static final int HMAC_BLOCK = 64;

    static {
        BASEPOINT[0] = 9;
    }

    private Primitives() {
    }

    /**
     * X25519(scalar, u) by RFC 7748 (the scalar clamped, the top bit of u masked); throws
     * InvalidKeyException when the result is all zeros, a low-order share, which age refuses.
     * libcrypto's through kharden's JNI bridge when it is there (about 50 microseconds, and nothing
     * for the client compiler to compile first), else {@link #x25519Portable}.
     */
    static byte[] x25519(byte[] scalar, byte[] u) throws InvalidKeyException {
        checkX25519(scalar, u);
        if (JniCrypto.hasX25519()) {
            byte[] out = new byte[X25519.POINT_SIZE];
            if (JniCrypto.x25519(scalar, u, out) == 1) {
                return out;
            }
            // refused: libcrypto refuses an all-zero result, which the portable code reports as such
        }
        return x25519Portable(scalar, u);
    }

    /**
     * {@link #x25519} on BouncyCastle's field arithmetic, not the JDK's XDH provider: the same
     * function without the provider's key objects and BigInteger conversions, about 20 ms less CPU
     * at the start of a seal (X25519Test compares both ways with the JDK's on random and edge inputs).
     */
    static byte[] x25519Portable(byte[] scalar, byte[] u) throws InvalidKeyException {
        checkX25519(scalar, u);
        byte[] secret = new byte[X25519.POINT_SIZE];
        X25519.scalarMult(scalar, 0, u, 0, secret, 0);
        if (MessageDigest.isEqual(secret, new byte[X25519.POINT_SIZE])) {
            throw new InvalidKeyException("X25519 shared secret is zero (low-order point)");
        }
        return secret;
    }

    private static void checkX25519(byte[] scalar, byte[] u) {
        if (scalar.length != X25519.SCALAR_SIZE || u.length != X25519.POINT_SIZE) {
            throw new IllegalArgumentException("X25519 takes a 32-byte scalar and a 32-byte u-coordinate");
        }
    }

    /**
     * HMAC-SHA-256 (RFC 2104). On libcrypto's SHA-256 when it is there, else the JDK's Mac: the
     * same bytes either way (PrimitivesTest compares them), and the libcrypto path spares a seal or
     * unseal the JDK's provider look-up, about 9 ms at start.
     */
    static byte[] hmacSha256(byte[] key, byte[]... parts) {
        return LibCrypto.available() ? hmacSha256Native(key, parts) : hmacSha256Jdk(key, parts);
    }

    static byte[] hmacSha256Native(byte[] key, byte[]... parts) {
        MessageDigest sha = LibCrypto.sha256();
        byte[] block = new byte[HMAC_BLOCK];
        byte[] k = key.length > HMAC_BLOCK ? sha.digest(key) : key;
        System.arraycopy(k, 0, block, 0, k.length);
        for (int i = 0; i < HMAC_BLOCK; i++) {
            block[i] ^= 0x36;
        }
        sha.update(block);
        for (byte[] p : parts) {
            sha.update(p);
        }
        byte[] inner = sha.digest();
        for (int i = 0; i < HMAC_BLOCK; i++) {
            block[i] ^= 0x36 ^ 0x5c;
        }
        sha.update(block);
        sha.update(inner);
        java.util.Arrays.fill(block, (byte) 0);
        return sha.digest();
    }

    static byte[] hmacSha256Jdk(byte[] key, byte[]... parts) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            // An empty HMAC key is the same as 32 zero bytes (it is zero-padded to the block size).
            mac.init(new SecretKeySpec(key.length == 0 ? new byte[32] : key, "HmacSHA256"));
            for (byte[] p : parts) {
                mac.update(p);
            }
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 unavailable", e);
        }
    }

    static byte[] hkdfExtract(byte[] salt, byte[] ikm) {
        return hmacSha256(salt, ikm);
    }

    static byte[] hkdfExpand(byte[] prk, byte[] info, int length) {
        byte[] out = new byte[length];
        byte[] t = new byte[0];
        int done = 0;
        for (int i = 1; done < length; i++) {
            t = hmacSha256(prk, t, info, new byte[] {(byte) i});
            int n = Math.min(t.length, length - done);
            System.arraycopy(t, 0, out, done, n);
            done += n;
        }
        return out;
    }

    /** HKDF-SHA-256 with a 32-byte output, as everywhere in age. */
    static byte[] hkdf(byte[] ikm, byte[] salt, byte[] info) {
        return hkdfExpand(hkdfExtract(salt, ikm), info, 32);
    }

    /**
     * ChaCha20-Poly1305 of one short message (a wrapped file key): through the JNI bridge to
     * libcrypto when it is built, else the JDK's Cipher (the FFM path would link its functions for
     * one call). The same bytes either way; the bridge spares the provider look-up at start.
     */
    static byte[] seal(byte[] key, byte[] nonce, byte[] plaintext) {
        if (LibCrypto.jniAvailable()) {
            byte[] out = new byte[plaintext.length + Payload.TAG];
            LibCrypto.chaChaPoly(key, true).seal(nonce, plaintext, 0, plaintext.length, out);
            return out;
        }
        return sealJdk(key, nonce, plaintext);
    }

    static byte[] sealJdk(byte[] key, byte[] nonce, byte[] plaintext) {
        try {
            Cipher c = Cipher.getInstance("ChaCha20-Poly1305");
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "ChaCha20"), new IvParameterSpec(nonce));
            return c.doFinal(plaintext);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ChaCha20-Poly1305 unavailable", e);
        }
    }

    /** Decrypts and authenticates, or returns null when the tag does not verify (or it is shorter than a tag). */
    static byte[] open(byte[] key, byte[] nonce, byte[] ciphertext) {
        if (LibCrypto.jniAvailable()) {
            if (ciphertext.length < Payload.TAG) {
                return null;
            }
            byte[] out = new byte[ciphertext.length - Payload.TAG];
            return LibCrypto.chaChaPoly(key, false).open(nonce, ciphertext, ciphertext.length, out) < 0 ? null : out;
        }
        return openJdk(key, nonce, ciphertext);
    }

    static byte[] openJdk(byte[] key, byte[] nonce, byte[] ciphertext) {
        try {
            Cipher c = Cipher.getInstance("ChaCha20-Poly1305");
            c.init(Cipher.DECRYPT_MODE, new SecretKeySpec(key, "ChaCha20"), new IvParameterSpec(nonce));
            return c.doFinal(ciphertext);
        } catch (AEADBadTagException e) {
            return null;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ChaCha20-Poly1305 unavailable", e);
        }
    }

    static byte[] concat(byte[]... parts) {
        int n = 0;
        for (byte[] p : parts) {
            n += p.length;
        }
        byte[] out = new byte[n];
        int off = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, off, p.length);
            off += p.length;
        }
        return out;
    }
}
