package dev.kharden.modsig;

import java.util.Map;

/**
 * The digest and signature algorithms a module signature may name, mapped between their ASN.1 object
 * identifiers, the names people and sign-file use ("sha256"), and the JDK's names. An OID missing
 * here is one the kernel's PKCS#7 parser rejects with -ENOPKG (a soft failure).
 */
public final class Algorithms {
    /** A digest: OID, sign-file's name, the JDK's MessageDigest name. */
    public record Digest(String oid, String name, String jdkName) {
    }

    public static final Map<String, Digest> DIGESTS_BY_OID = Map.of(
            "1.3.14.3.2.26", new Digest("1.3.14.3.2.26", "sha1", "SHA-1"),
            "2.16.840.1.101.3.4.2.4", new Digest("2.16.840.1.101.3.4.2.4", "sha224", "SHA-224"),
            "2.16.840.1.101.3.4.2.1", new Digest("2.16.840.1.101.3.4.2.1", "sha256", "SHA-256"),
            "2.16.840.1.101.3.4.2.2", new Digest("2.16.840.1.101.3.4.2.2", "sha384", "SHA-384"),
            "2.16.840.1.101.3.4.2.3", new Digest("2.16.840.1.101.3.4.2.3", "sha512", "SHA-512"),
            "2.16.840.1.101.3.4.2.8", new Digest("2.16.840.1.101.3.4.2.8", "sha3-256", "SHA3-256"),
            "2.16.840.1.101.3.4.2.9", new Digest("2.16.840.1.101.3.4.2.9", "sha3-384", "SHA3-384"),
            "2.16.840.1.101.3.4.2.10", new Digest("2.16.840.1.101.3.4.2.10", "sha3-512", "SHA3-512"));

    /** Names a signer's key algorithm from the SignerInfo signatureAlgorithm OID, or null if unknown. */
    public static String keyAlgorithmOfSignature(String oid) {
        return switch (oid) {
            // The kernel's pkcs7_sig_note_pkey_algo takes rsaEncryption only (what sign-file writes); the
            // hash-specific RSA OIDs are -ENOPKG there.
            case "1.2.840.113549.1.1.1" -> "RSA";
            // ecdsa-with-SHA1/224/256/384/512 (SHA-1 dropped by kernels after 6.1; 6.1 still takes it).
            case "1.2.840.10045.4.1", "1.2.840.10045.4.3.1", "1.2.840.10045.4.3.2", "1.2.840.10045.4.3.3",
                 "1.2.840.10045.4.3.4" -> "EC";
            default -> null;
        };
    }

    /** The OID sign-file (OpenSSL CMS) writes as signatureAlgorithm for this key and digest. */
    public static String signatureOid(String keyAlgorithm, Digest digest) {
        if (keyAlgorithm.equals("RSA")) {
            return "1.2.840.113549.1.1.1";
        }
        return switch (digest.name()) {
            case "sha1" -> "1.2.840.10045.4.1";
            case "sha224" -> "1.2.840.10045.4.3.1";
            case "sha256" -> "1.2.840.10045.4.3.2";
            case "sha384" -> "1.2.840.10045.4.3.3";
            case "sha512" -> "1.2.840.10045.4.3.4";
            case "sha3-256" -> "2.16.840.1.101.3.4.3.10";
            case "sha3-384" -> "2.16.840.1.101.3.4.3.11";
            default -> "2.16.840.1.101.3.4.3.12";
        };
    }

    /** The JDK Signature name for a digest and key algorithm ("SHA256withRSA", "SHA3-256withECDSA"). */
    public static String jdkSignature(Digest digest, String keyAlgorithm) {
        String d = digest.jdkName().startsWith("SHA3") ? digest.jdkName() : digest.jdkName().replace("-", "");
        return d + "with" + (keyAlgorithm.equals("RSA") ? "RSA" : "ECDSA");
    }

    /** Looks a digest up by the name sign-file takes ("sha256"), or null. */
    public static Digest digestByName(String name) {
        for (Digest d : DIGESTS_BY_OID.values()) {
            if (d.name().equalsIgnoreCase(name)) {
                return d;
            }
        }
        return null;
    }

    private Algorithms() {
    }
}
