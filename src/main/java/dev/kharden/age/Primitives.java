package dev.kharden.age;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The age primitives on plain JDK providers: X25519 (RFC 7748), HKDF-SHA-256 (RFC 5869),
 * ChaCha20-Poly1305 (RFC 8439). The JDK's X25519 refuses an all-zero shared secret (a low-order
 * share), which age requires anyway; that refusal surfaces as {@link InvalidKeyException}.
 */
final class Primitives {
    static final byte[] BASEPOINT = new byte[32];

    static {
        BASEPOINT[0] = 9;
    }

    private Primitives() {
    }

    /** X25519(scalar, u); throws InvalidKeyException when the result is all zeros. */
    static byte[] x25519(byte[] scalar, byte[] u) throws InvalidKeyException {
        try {
            KeyFactory kf = KeyFactory.getInstance("XDH");
            PrivateKey priv = kf.generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, scalar));
            PublicKey pub = kf.generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, littleEndianU(u)));
            KeyAgreement ka = KeyAgreement.getInstance("X25519");
            ka.init(priv);
            ka.doPhase(pub, true);
            byte[] secret = ka.generateSecret();
            if (MessageDigest.isEqual(secret, new byte[32])) {
                throw new InvalidKeyException("X25519 shared secret is zero (low-order point)");
            }
            return secret;
        } catch (InvalidKeyException e) {
            throw e;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("X25519 unavailable in this JDK", e);
        }
    }

    private static BigInteger littleEndianU(byte[] u) {
        byte[] be = new byte[u.length];
        for (int i = 0; i < u.length; i++) {
            be[i] = u[u.length - 1 - i];
        }
        be[0] &= 0x7f; // RFC 7748 section 5: mask the most significant bit of the u-coordinate
        return new BigInteger(1, be);
    }

    static byte[] hmacSha256(byte[] key, byte[]... parts) {
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

    static byte[] seal(byte[] key, byte[] nonce, byte[] plaintext) {
        try {
            Cipher c = Cipher.getInstance("ChaCha20-Poly1305");
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "ChaCha20"), new IvParameterSpec(nonce));
            return c.doFinal(plaintext);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ChaCha20-Poly1305 unavailable", e);
        }
    }

    /** Decrypts and authenticates, or returns null when the tag does not verify. */
    static byte[] open(byte[] key, byte[] nonce, byte[] ciphertext) {
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
