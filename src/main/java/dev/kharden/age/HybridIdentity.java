package dev.kharden.age;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.crypto.digests.SHAKEDigest;
import org.bouncycastle.pqc.crypto.mlkem.MLKEMExtractor;
import org.bouncycastle.pqc.crypto.mlkem.MLKEMParameters;
import org.bouncycastle.pqc.crypto.mlkem.MLKEMPrivateKeyParameters;

/**
 * An age post-quantum hybrid identity ({@code AGE-SECRET-KEY-PQ-1...}): HPKE base mode with the
 * MLKEM768-X25519 KEM (X-Wing), HKDF-SHA256 and ChaCha20-Poly1305, decryption only. The 32-byte
 * seed expands with SHAKE256 into the ML-KEM-768 seed (d || z) and the X25519 secret; the KEM
 * shared secret is SHA3-256(ss_mlkem || ss_x25519 || ct_x25519 || pk_x25519 || label).
 */
public final class HybridIdentity implements Identity {
    static final String HRP = "AGE-SECRET-KEY-PQ-";
    static final String TYPE = "mlkem768x25519";
    private static final int ENC_LENGTH = 1088 + 32;
    private static final byte[] XWING_LABEL = {0x5c, 0x2e, 0x2f, 0x2f, 0x5e, 0x5c};
    private static final byte[] INFO = "age-encryption.org/mlkem768x25519".getBytes(StandardCharsets.US_ASCII);
    /** "HPKE" || kem_id 0x647a || kdf_id 0x0001 (HKDF-SHA256) || aead_id 0x0003 (ChaCha20Poly1305). */
    private static final byte[] SUITE_ID = {'H', 'P', 'K', 'E', 0x64, 0x7a, 0x00, 0x01, 0x00, 0x03};

    private final MLKEMPrivateKeyParameters mlkem;
    private final byte[] x25519Secret;
    private final byte[] x25519Public;

    private HybridIdentity(byte[] seed) {
        SHAKEDigest shake = new SHAKEDigest(256);
        shake.update(seed, 0, seed.length);
        byte[] expanded = new byte[96];
        shake.doFinal(expanded, 0, expanded.length);
        this.mlkem = new MLKEMPrivateKeyParameters(MLKEMParameters.ml_kem_768, Arrays.copyOfRange(expanded, 0, 64));
        this.x25519Secret = Arrays.copyOfRange(expanded, 64, 96);
        try {
            this.x25519Public = Primitives.x25519(x25519Secret, Primitives.BASEPOINT);
        } catch (InvalidKeyException e) {
            throw new IllegalStateException("X25519 of the base point cannot be zero", e);
        }
    }

    /** Parses an {@code AGE-SECRET-KEY-PQ-1...} string; null when it is not one. */
    public static HybridIdentity parse(String s) {
        Bech32.Decoded d = Bech32.decode(s);
        if (d == null || !d.hrp().equals(HRP.toLowerCase(java.util.Locale.ROOT)) || d.data().length != 32) {
            return null;
        }
        return new HybridIdentity(d.data());
    }

    @Override
    public byte[] unwrap(List<Stanza> stanzas) throws AgeException {
        for (Stanza s : stanzas) {
            if (!s.type().equals(TYPE)) {
                continue;
            }
            if (s.args().size() != 2) {
                throw Header.fail(TYPE + " stanza must have exactly one argument");
            }
            byte[] enc = Base64Strict.decode(s.args().get(1));
            if (enc == null || enc.length != ENC_LENGTH) {
                throw Header.fail(TYPE + " enc is not " + ENC_LENGTH + " bytes of canonical base64");
            }
            byte[] body = s.body();
            if (body.length != 32) {
                throw Header.fail(TYPE + " stanza body is not 32 bytes");
            }
            byte[] sharedSecret = decapsulate(enc);
            byte[] fileKey = hpkeOpen(sharedSecret, body);
            if (fileKey != null) {
                return fileKey;
            }
        }
        return null;
    }

    private byte[] decapsulate(byte[] enc) throws AgeException {
        byte[] ctM = Arrays.copyOfRange(enc, 0, 1088);
        byte[] ctX = Arrays.copyOfRange(enc, 1088, ENC_LENGTH);
        // ML-KEM decapsulation never fails: a corrupted ciphertext gives an unrelated secret
        // (implicit rejection), which then fails the AEAD and reads as "not for this identity".
        byte[] ssM = new MLKEMExtractor(mlkem).extractSecret(ctM);
        byte[] ssX;
        try {
            ssX = Primitives.x25519(x25519Secret, ctX);
        } catch (InvalidKeyException e) {
            throw Header.fail(TYPE + " X25519 share is a low-order point");
        }
        try {
            MessageDigest sha3 = MessageDigest.getInstance("SHA3-256");
            return sha3.digest(Primitives.concat(ssM, ssX, ctX, x25519Public, XWING_LABEL));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA3-256 unavailable", e);
        }
    }

    /** RFC 9180 KeySchedule (mode base, empty psk) then Open with sequence number 0. */
    private static byte[] hpkeOpen(byte[] sharedSecret, byte[] ciphertext) {
        byte[] pskIdHash = labeledExtract(new byte[0], "psk_id_hash", new byte[0]);
        byte[] infoHash = labeledExtract(new byte[0], "info_hash", INFO);
        byte[] context = Primitives.concat(new byte[] {0x00}, pskIdHash, infoHash);
        byte[] secret = labeledExtract(sharedSecret, "secret", new byte[0]);
        byte[] key = labeledExpand(secret, "key", context, 32);
        byte[] nonce = labeledExpand(secret, "base_nonce", context, 12);
        return Primitives.open(key, nonce, ciphertext);
    }

    private static byte[] labeledExtract(byte[] salt, String label, byte[] ikm) {
        return Primitives.hkdfExtract(salt, Primitives.concat(
                "HPKE-v1".getBytes(StandardCharsets.US_ASCII), SUITE_ID, label.getBytes(StandardCharsets.US_ASCII), ikm));
    }

    private static byte[] labeledExpand(byte[] prk, String label, byte[] info, int length) {
        return Primitives.hkdfExpand(prk, Primitives.concat(new byte[] {0, (byte) length},
                "HPKE-v1".getBytes(StandardCharsets.US_ASCII), SUITE_ID, label.getBytes(StandardCharsets.US_ASCII), info), length);
    }
}
