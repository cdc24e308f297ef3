package dev.kharden.seal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;

/**
 * The optional Ed25519 signature over MANIFEST.json (entry MANIFEST.sig). age has no sender
 * authentication: anyone holding support's public key can seal a bundle. A machine key signature
 * tells support which machine sealed it, and since the manifest holds every entry's SHA-256, it
 * covers the whole content. It proves origin only if support knows the machine's public key from
 * elsewhere ({@code unseal --signer}); an unknown key proves only that the bundle is intact.
 *
 * <p>Keys: the private key is PKCS#8 PEM (what {@code openssl genpkey -algorithm ed25519} writes);
 * the public key travels as base64 of its 32 raw bytes, and is identified by a SHA-256 fingerprint.
 */
public final class ManifestSignature {
    public static final String SCHEMA = "kharden-bundle-signature/1";
    /** X.509 SubjectPublicKeyInfo prefix of an Ed25519 key (RFC 8410); the raw key follows. */
    private static final byte[] SPKI_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

    /** A parsed MANIFEST.sig. */
    public record Parsed(byte[] publicKey, byte[] signature) {
    }

    private ManifestSignature() {
    }

    /** A fresh Ed25519 key pair. */
    public static KeyPair generate() {
        try {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 unavailable", e);
        }
    }

    public static String toPem(PrivateKey key) {
        String b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.getEncoded());
        return "-----BEGIN PRIVATE KEY-----\n" + b64 + "\n-----END PRIVATE KEY-----\n";
    }

    /** Reads a PKCS#8 PEM Ed25519 private key; null when the text is not one. */
    public static PrivateKey parsePrivatePem(String pem) {
        int b = pem.indexOf("-----BEGIN PRIVATE KEY-----");
        int e = pem.indexOf("-----END PRIVATE KEY-----");
        if (b < 0 || e < b) {
            return null;
        }
        try {
            byte[] der = Base64.getMimeDecoder().decode(pem.substring(b + 27, e));
            return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (IllegalArgumentException | GeneralSecurityException ex) {
            return null;
        }
    }

    /** The 32 raw bytes of an Ed25519 public key. */
    public static byte[] raw(PublicKey key) {
        byte[] spki = key.getEncoded();
        return Arrays.copyOfRange(spki, spki.length - 32, spki.length);
    }

    /** The public key that belongs to an Ed25519 private key. */
    public static byte[] publicOf(PrivateKey key) {
        try {
            // The JDK has no private-to-public derivation, but its Ed25519 generator draws exactly
            // the 32-byte private key from its SecureRandom: feeding it the known key derives the pair.
            byte[] seed = ((java.security.interfaces.EdECPrivateKey) key).getBytes().orElseThrow();
            KeyPairGenerator g = KeyPairGenerator.getInstance("Ed25519");
            g.initialize(java.security.spec.NamedParameterSpec.ED25519, new FixedRandom(seed));
            return raw(g.generateKeyPair().getPublic());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 unavailable", e);
        }
    }

    /** "SHA256:" + unpadded base64 of SHA-256 of the raw public key, like ssh-keygen -l. */
    public static String fingerprint(byte[] rawPublicKey) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(rawPublicKey);
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(d);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Signs {@code manifest} and returns the MANIFEST.sig bytes. */
    public static byte[] sign(PrivateKey key, byte[] manifest) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(key);
            s.update(manifest);
            byte[] sig = s.sign();
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
                g.useDefaultPrettyPrinter();
                g.writeStartObject();
                g.writeStringField("schema", SCHEMA);
                g.writeStringField("algorithm", "Ed25519");
                g.writeStringField("signed", Manifest.NAME);
                g.writeStringField("publicKey", Base64.getEncoder().encodeToString(publicOf(key)));
                g.writeStringField("signature", Base64.getEncoder().encodeToString(sig));
                g.writeEndObject();
            }
            out.write('\n');
            return out.toByteArray();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 unavailable", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Parses MANIFEST.sig; IOException with a reason when malformed. */
    public static Parsed parse(byte[] json) throws IOException {
        String schema = null;
        String alg = null;
        String pub = null;
        String sig = null;
        try (JsonParser p = new JsonFactory().createParser(json)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("MANIFEST.sig is not a JSON object");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                String v = t == JsonToken.VALUE_STRING ? p.getText() : null;
                if (v == null) {
                    p.skipChildren();
                }
                switch (field) {
                    case "schema" -> schema = v;
                    case "algorithm" -> alg = v;
                    case "publicKey" -> pub = v;
                    case "signature" -> sig = v;
                    default -> {
                    }
                }
            }
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IOException("MANIFEST.sig is not valid JSON: " + e.getOriginalMessage());
        }
        if (!SCHEMA.equals(schema) || !"Ed25519".equals(alg) || pub == null || sig == null) {
            throw new IOException("MANIFEST.sig is not a " + SCHEMA + " Ed25519 signature");
        }
        try {
            byte[] pk = Base64.getDecoder().decode(pub);
            byte[] sg = Base64.getDecoder().decode(sig);
            if (pk.length != 32 || sg.length != 64) {
                throw new IOException("MANIFEST.sig has a key or signature of the wrong length");
            }
            return new Parsed(pk, sg);
        } catch (IllegalArgumentException e) {
            throw new IOException("MANIFEST.sig has bad base64");
        }
    }

    /** True when {@code sig} is a valid signature of {@code manifest} by its public key. */
    public static boolean verify(Parsed sig, byte[] manifest) {
        try {
            PublicKey pk = KeyFactory.getInstance("Ed25519").generatePublic(
                    new X509EncodedKeySpec(concat(SPKI_PREFIX, sig.publicKey())));
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(pk);
            s.update(manifest);
            return s.verify(sig.signature());
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Returns the given bytes as "randomness": lets the JDK derive a key pair from a known seed. */
    private static final class FixedRandom extends java.security.SecureRandom {
        private final byte[] seed;

        FixedRandom(byte[] seed) {
            this.seed = seed.clone();
        }

        @Override
        public void nextBytes(byte[] bytes) {
            System.arraycopy(seed, 0, bytes, 0, Math.min(seed.length, bytes.length));
        }
    }
}
