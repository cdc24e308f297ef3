package dev.kharden.modsig;

import dev.kharden.input.InputException;
import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.spec.InvalidKeySpecException;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;

/**
 * One X.509 certificate used as a trusted module-signing key, reduced to what the kernel matches on:
 * the issuer name and serial number (raw DER, compared byte for byte as the kernel's asymmetric key
 * ids are) and the subject key identifier, plus its public key. {@code origin} says where it came from
 * (a file, or a kernel image's built-in list).
 */
public record TrustedCert(byte[] der, String subject, String issuer, byte[] issuerDer, BigInteger serial,
                          byte[] subjectKeyId, String keyAlgorithm, int keyBits, PublicKey publicKey,
                          String notBefore, String notAfter, String origin) {

    /** Parses one DER certificate; {@code origin} names it in errors and reports. */
    public static TrustedCert parse(byte[] der, String origin) {
        Certificate c;
        try {
            c = Certificate.getInstance(org.bouncycastle.asn1.ASN1Primitive.fromByteArray(der));
        } catch (java.io.IOException | RuntimeException e) {
            throw InputException.ofFile(origin, "not an X.509 certificate (" + e.getMessage() + ")");
        }
        try {
            byte[] skid = null;
            Extensions ext = c.getTBSCertificate().getExtensions();
            if (ext != null && ext.getExtension(Extension.subjectKeyIdentifier) != null) {
                skid = ASN1OctetString.getInstance(ext.getExtension(Extension.subjectKeyIdentifier).getParsedValue())
                        .getOctets();
            }
            String spkiOid = c.getSubjectPublicKeyInfo().getAlgorithm().getAlgorithm().getId();
            String alg = switch (spkiOid) {
                case "1.2.840.113549.1.1.1" -> "RSA";
                case "1.2.840.10045.2.1" -> "EC";
                default -> null;
            };
            PublicKey key = null;
            int bits = 0;
            if (alg != null) {
                key = KeyFactory.getInstance(alg)
                        .generatePublic(new X509EncodedKeySpec(c.getSubjectPublicKeyInfo().getEncoded("DER")));
                bits = key instanceof java.security.interfaces.RSAPublicKey r ? r.getModulus().bitLength()
                        : key instanceof java.security.interfaces.ECPublicKey e
                        ? e.getParams().getOrder().bitLength() : 0;
            }
            return new TrustedCert(der.clone(), c.getSubject().toString(), c.getIssuer().toString(),
                    c.getIssuer().getEncoded("DER"), c.getSerialNumber().getValue(), skid,
                    alg == null ? spkiOid : alg, bits, key, c.getStartDate().getDate().toInstant().toString(),
                    c.getEndDate().getDate().toInstant().toString(), origin);
        } catch (java.io.IOException | RuntimeException | NoSuchAlgorithmException | InvalidKeySpecException e) {
            throw InputException.ofFile(origin, "certificate cannot be used (" + e.getMessage() + ")");
        }
    }

    /** True if this certificate is the key a signer names (issuer+serial, or subject key id). */
    public boolean matches(Pkcs7Signature.Signer s) {
        if (s.subjectKeyId() != null) {
            return subjectKeyId != null && Arrays.equals(subjectKeyId, s.subjectKeyId());
        }
        return Arrays.equals(issuerDer, s.issuerDer()) && serial.equals(s.serial());
    }

    public String sha256Fingerprint() {
        try {
            return Hex.colons(MessageDigest.getInstance("SHA-256").digest(der));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public String serialHex() {
        return serial.toString(16).toUpperCase(java.util.Locale.ROOT);
    }

    public String subjectKeyIdHex() {
        return subjectKeyId == null ? null : Hex.colons(subjectKeyId);
    }
}
