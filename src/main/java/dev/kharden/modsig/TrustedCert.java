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
                    alg == null ? spkiOid : alg, bits, key, instant(c.getStartDate()),
                    instant(c.getEndDate()), origin);
        } catch (java.io.IOException | java.text.ParseException | RuntimeException | NoSuchAlgorithmException
                 | InvalidKeySpecException e) {
            throw InputException.ofFile(origin, "certificate cannot be used (" + e.getMessage() + ")");
        }
    }

    /**
     * A certificate time as {@link java.time.Instant#toString()} writes it ("2023-04-05T06:07:08Z").
     * The DER forms RFC 5280 prescribes (UTCTime YYMMDDHHMMSSZ, years 1950-2049; GeneralizedTime
     * YYYYMMDDHHMMSSZ) are rewritten directly: converting through {@link java.util.Date} loads the
     * JDK's calendar, time-zone and locale data, tens of milliseconds at start-up for two strings.
     * Any other form takes that general path, and so do years before 1583, which {@link java.util.Date}
     * counts in the Julian calendar.
     */
    static String instant(org.bouncycastle.asn1.x509.Time t) throws java.text.ParseException {
        org.bouncycastle.asn1.ASN1Primitive p = t.toASN1Primitive();
        String v = null;
        try {
            byte[] enc = p.getEncoded("DER");
            if (enc.length > 2 && enc[1] == enc.length - 2) {
                v = new String(enc, 2, enc.length - 2, java.nio.charset.StandardCharsets.ISO_8859_1);
            }
        } catch (java.io.IOException e) {
            v = null;
        }
        boolean utc = p instanceof org.bouncycastle.asn1.ASN1UTCTime;
        int digits = utc ? 12 : 14;
        if (v == null || v.length() != digits + 1 || v.charAt(digits) != 'Z' || !allDigits(v, digits)) {
            return t.getDate().toInstant().toString();
        }
        int o = utc ? 2 : 4;
        int year = utc ? num(v, 0) + (v.charAt(0) >= '5' ? 1900 : 2000) : num(v, 0) * 100 + num(v, 2);
        int month = num(v, o);
        int day = num(v, o + 2);
        boolean leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
        int days = month == 2 ? (leap ? 29 : 28) : month == 4 || month == 6 || month == 9 || month == 11 ? 30 : 31;
        if (year < 1583 || month < 1 || month > 12 || day < 1 || day > days || num(v, o + 4) > 23 || num(v, o + 6) > 59
                || num(v, o + 8) > 59) {
            return t.getDate().toInstant().toString(); // out of range: the general path decides
        }
        return year + "-" + v.substring(o, o + 2) + "-" + v.substring(o + 2, o + 4) + "T" + v.substring(o + 4, o + 6)
                + ":" + v.substring(o + 6, o + 8) + ":" + v.substring(o + 8, o + 10) + "Z";
    }

    private static int num(String s, int at) {
        return (s.charAt(at) - '0') * 10 + (s.charAt(at + 1) - '0');
    }

    private static boolean allDigits(String s, int n) {
        for (int i = 0; i < n; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
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
