package dev.kharden.age;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.util.List;

/** An age X25519 recipient ({@code age1...}): wraps the file key with a fresh ephemeral share. */
public final class X25519Recipient implements Recipient {
    static final String HRP = "age";
    static final byte[] INFO = "age-encryption.org/v1/X25519".getBytes(StandardCharsets.US_ASCII);

    private final byte[] publicKey;

    X25519Recipient(byte[] publicKey) {
        this.publicKey = publicKey.clone();
    }

    /** Parses an {@code age1...} string; null when it is not one. */
    public static X25519Recipient parse(String s) {
        Bech32.Decoded d = Bech32.decode(s);
        if (d == null || !d.hrp().equals(HRP) || d.data().length != 32 || !s.equals(s.toLowerCase(java.util.Locale.ROOT))) {
            return null;
        }
        return new X25519Recipient(d.data());
    }

    byte[] publicKey() {
        return publicKey.clone();
    }

    @Override
    public Stanza wrap(byte[] fileKey) {
        byte[] ephemeral = new byte[32];
        dev.kharden.crypto.Randomness.fill(ephemeral);
        try {
            byte[] share = Primitives.x25519(ephemeral, Primitives.BASEPOINT);
            byte[] shared = Primitives.x25519(ephemeral, publicKey);
            byte[] wrapKey = Primitives.hkdf(shared, Primitives.concat(share, publicKey), INFO);
            byte[] body = Primitives.seal(wrapKey, new byte[12], fileKey);
            return new Stanza(List.of("X25519", Base64Strict.encode(share)), body);
        } catch (InvalidKeyException e) {
            // Only a low-order recipient key gives a zero secret; parse() cannot produce one that
            // matters, and encrypting to it would be unreadable, so refuse loudly.
            throw new IllegalArgumentException("recipient is a low-order X25519 point", e);
        }
    }

    @Override
    public String toString() {
        return Bech32.encode(HRP, publicKey);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof X25519Recipient r && java.util.Arrays.equals(r.publicKey, publicKey);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(publicKey);
    }
}
