package dev.kharden.age;

import java.security.InvalidKeyException;
import java.util.List;

/**
 * An age X25519 identity ({@code AGE-SECRET-KEY-1...}). Unwrapping follows the spec's MUSTs:
 * exactly one argument after the type, a canonical 32-byte share, a 32-byte body checked before
 * decrypting (no partitioning oracle), and an all-zero shared secret refused.
 */
public final class X25519Identity implements Identity {
    static final String HRP = "AGE-SECRET-KEY-";

    private final byte[] secret;
    private final X25519Recipient recipient;

    private X25519Identity(byte[] secret) {
        this.secret = secret.clone();
        try {
            this.recipient = new X25519Recipient(Primitives.x25519(this.secret, Primitives.BASEPOINT));
        } catch (InvalidKeyException e) {
            throw new IllegalStateException("X25519 of the base point cannot be zero", e);
        }
    }

    /** A new random identity. */
    public static X25519Identity generate() {
        byte[] secret = new byte[32];
        dev.kharden.crypto.Randomness.fill(secret);
        return new X25519Identity(secret);
    }

    /** Parses an {@code AGE-SECRET-KEY-1...} string; null when it is not one. */
    public static X25519Identity parse(String s) {
        Bech32.Decoded d = Bech32.decode(s);
        if (d == null || !d.hrp().equals(HRP.toLowerCase(java.util.Locale.ROOT)) || d.data().length != 32) {
            return null;
        }
        return new X25519Identity(d.data());
    }

    public X25519Recipient recipient() {
        return recipient;
    }

    /** The Bech32 encoding, as written to identity files. Secret: never log it. */
    public String encode() {
        return Bech32.encode(HRP, secret);
    }

    @Override
    public byte[] unwrap(List<Stanza> stanzas) throws AgeException {
        for (Stanza s : stanzas) {
            if (!s.type().equals("X25519")) {
                continue;
            }
            if (s.args().size() != 2) {
                throw Header.fail("X25519 stanza must have exactly one argument");
            }
            byte[] share = Base64Strict.decode(s.args().get(1));
            if (share == null || share.length != 32) {
                throw Header.fail("X25519 stanza share is not 32 bytes of canonical base64");
            }
            byte[] body = s.body();
            if (body.length != 32) {
                throw Header.fail("X25519 stanza body is not 32 bytes");
            }
            byte[] shared;
            try {
                shared = Primitives.x25519(secret, share);
            } catch (InvalidKeyException e) {
                throw Header.fail("X25519 stanza share is a low-order point");
            }
            byte[] wrapKey = Primitives.hkdf(shared, Primitives.concat(share, recipient.publicKey()), X25519Recipient.INFO);
            byte[] fileKey = Primitives.open(wrapKey, new byte[12], body);
            if (fileKey != null) {
                return fileKey;
            }
        }
        return null;
    }
}
