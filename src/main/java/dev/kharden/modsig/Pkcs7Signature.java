package dev.kharden.modsig;

import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Set;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.IssuerAndSerialNumber;
import org.bouncycastle.asn1.cms.SignedData;
import org.bouncycastle.asn1.cms.SignerIdentifier;
import org.bouncycastle.asn1.cms.SignerInfo;
import org.bouncycastle.asn1.x500.X500Name;

/**
 * Parses the PKCS#7 (CMS SignedData) blob of a module signature into the facts the kernel acts on, and
 * makes the checks the kernel's PKCS#7 parser makes, with its errno: not SignedData or an unknown
 * version is -EINVAL; a broken encoding or version mismatch is -EBADMSG; a digest or key algorithm it
 * does not know is -ENOPKG. Security: the blob is untrusted input; BouncyCastle's ASN.1 reader is
 * bounded by the blob length, and any structural surprise becomes a {@link Rejected}.
 */
public record Pkcs7Signature(int version, List<String> digestAlgorithmOids, String contentTypeOid, boolean detached,
                             List<byte[]> certificates, List<Signer> signers) {
    static final String OID_SIGNED_DATA = "1.2.840.113549.1.7.2";
    static final String OID_DATA = "1.2.840.113549.1.7.1";
    static final String OID_MS_INDIRECT_DATA = "1.3.6.1.4.1.311.2.1.4";

    /**
     * One SignerInfo. Exactly one of {@code issuer}/{@code serial} (version 1) or
     * {@code subjectKeyId} (version 3) identifies the key. {@code digest} is null when the kernel would
     * not know the digest (then {@code digestOid} says which); {@code keyAlgorithm} likewise.
     */
    public record Signer(int version, X500Name issuer, byte[] issuerDer, BigInteger serial, byte[] subjectKeyId,
                         String digestOid, Algorithms.Digest digest, String signatureOid, String keyAlgorithm,
                         boolean signedAttributes, byte[] signature, boolean canonicalParameters) {
        /** "issuer CN=..., serial 66F5..." or "subject key id 89:63:...": how people identify the key. */
        public String describeKey() {
            if (subjectKeyId != null) {
                return "subject key id " + Hex.colons(subjectKeyId);
            }
            return "issuer " + issuer + ", serial " + serial.toString(16).toUpperCase(java.util.Locale.ROOT);
        }
    }

    /** Parses {@code len} bytes at {@code off}. */
    public static Pkcs7Signature parse(byte[] data, int off, int len) throws Rejected {
        if (off < 0 || len < 0 || off > data.length - len) {
            return parseFresh(data, off, len);
        }
        Template t = TEMPLATES.get(len);
        if (t != null && Arrays.equals(data, off, off + t.prefix.length, t.prefix, 0, t.prefix.length)) {
            return t.parsed.withSignature(Arrays.copyOfRange(data, off + t.prefix.length, off + len));
        }
        Pkcs7Signature p = parseFresh(data, off, len);
        if (t == null && TEMPLATES.size() < MAX_TEMPLATES) {
            learn(data, off, len, p);
        }
        return p;
    }

    /**
     * A module tree's signatures are the same bytes but for the signature value (one key, one
     * sign-file), so a parse is kept as a template: a later blob of the same length whose bytes before
     * the signature value are identical parses to the same result with its own value. A template is
     * learned only from a single-signer blob that ends with its signature value, and only after
     * parsing it again with those bytes inverted gives the inverted value and nothing else changed:
     * that proves the final bytes are the signature's opaque content, which no other field reads.
     */
    private record Template(byte[] prefix, Pkcs7Signature parsed) {
    }

    private static final int MAX_TEMPLATES = 16;
    private static final Map<Integer, Template> TEMPLATES = new ConcurrentHashMap<>();

    private static void learn(byte[] data, int off, int len, Pkcs7Signature p) {
        if (p.signers().size() != 1) {
            return;
        }
        byte[] sig = p.signers().getFirst().signature();
        int body = len - sig.length;
        if (sig.length == 0 || body <= 0 || !Arrays.equals(data, off + body, off + len, sig, 0, sig.length)) {
            return;
        }
        byte[] flipped = Arrays.copyOfRange(data, off, off + len);
        for (int i = body; i < len; i++) {
            flipped[i] = (byte) ~flipped[i];
        }
        Pkcs7Signature q;
        try {
            q = parseFresh(flipped, 0, len);
        } catch (Rejected r) {
            return;
        }
        if (q.signers().size() == 1 && Arrays.equals(q.signers().getFirst().signature(), 0, sig.length, flipped, body, len)
                && sameBut(p, q)) {
            TEMPLATES.putIfAbsent(len, new Template(Arrays.copyOfRange(data, off, off + body), p));
        }
    }

    /** This parse with another signature value for its single signer. */
    private Pkcs7Signature withSignature(byte[] signature) {
        Signer s = signers.getFirst();
        return new Pkcs7Signature(version, digestAlgorithmOids, contentTypeOid, detached, certificates,
                List.of(new Signer(s.version, s.issuer, s.issuerDer, s.serial, s.subjectKeyId, s.digestOid, s.digest,
                        s.signatureOid, s.keyAlgorithm, s.signedAttributes, signature, s.canonicalParameters)));
    }

    /** True if two parses agree on every field except their signers' signature values. */
    static boolean sameBut(Pkcs7Signature a, Pkcs7Signature b) {
        if (a.version != b.version || !a.digestAlgorithmOids.equals(b.digestAlgorithmOids)
                || !a.contentTypeOid.equals(b.contentTypeOid) || a.detached != b.detached
                || a.certificates.size() != b.certificates.size() || a.signers.size() != b.signers.size()) {
            return false;
        }
        for (int i = 0; i < a.certificates.size(); i++) {
            if (!Arrays.equals(a.certificates.get(i), b.certificates.get(i))) {
                return false;
            }
        }
        for (int i = 0; i < a.signers.size(); i++) {
            Signer x = a.signers.get(i);
            Signer y = b.signers.get(i);
            if (x.version != y.version || !Objects.equals(x.issuer, y.issuer) || !Arrays.equals(x.issuerDer, y.issuerDer)
                    || !Objects.equals(x.serial, y.serial) || !Arrays.equals(x.subjectKeyId, y.subjectKeyId)
                    || !x.digestOid.equals(y.digestOid) || !Objects.equals(x.digest, y.digest)
                    || !x.signatureOid.equals(y.signatureOid) || !Objects.equals(x.keyAlgorithm, y.keyAlgorithm)
                    || x.signedAttributes != y.signedAttributes || x.canonicalParameters != y.canonicalParameters) {
                return false;
            }
        }
        return true;
    }

    /** Parses without the template cache. */
    static Pkcs7Signature parseFresh(byte[] data, int off, int len) throws Rejected {
        try {
            return parseUnchecked(data, off, len);
        } catch (Rejected e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // BouncyCastle reports structural problems as IOException, IllegalArgumentException,
            // IllegalStateException or ClassCastException; all mean the kernel's decoder would fail.
            throw new Rejected(KernelErrno.EBADMSG, "PKCS#7 does not decode: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()));
        }
    }

    private static Pkcs7Signature parseUnchecked(byte[] data, int off, int len) throws IOException, Rejected {
        byte[] blob = java.util.Arrays.copyOfRange(data, off, off + len);
        ASN1Primitive top = ASN1Primitive.fromByteArray(blob);
        ContentInfo ci = ContentInfo.getInstance(top);
        if (ci == null) {
            throw new Rejected(KernelErrno.EBADMSG, "PKCS#7 is empty");
        }
        if (!OID_SIGNED_DATA.equals(ci.getContentType().getId())) {
            throw new Rejected(KernelErrno.EINVAL, "PKCS#7 content type "
                    + ci.getContentType().getId() + " is not signedData");
        }
        if (ci.getContent() == null) {
            throw new Rejected(KernelErrno.EBADMSG, "PKCS#7 SignedData is missing");
        }
        SignedData sd = SignedData.getInstance(ci.getContent());
        int version = smallInt(sd.getVersion().getValue());
        if (version != 1 && version != 3) {
            throw new Rejected(KernelErrno.EINVAL, "unsupported SignedData version " + sd.getVersion().getValue());
        }
        // The kernel's grammar decodes every digestAlgorithms entry even though only the SignerInfo's
        // digest is used; BouncyCastle keeps the set raw, so check its shape here.
        List<String> digestOids = new ArrayList<>();
        for (ASN1Encodable d : sd.getDigestAlgorithms()) {
            digestOids.add(org.bouncycastle.asn1.x509.AlgorithmIdentifier.getInstance(d).getAlgorithm().getId());
        }
        ContentInfo encap = sd.getEncapContentInfo();
        String contentType = encap.getContentType().getId();
        if (!contentType.equals(OID_DATA) && !contentType.equals(OID_MS_INDIRECT_DATA)) {
            throw new Rejected(KernelErrno.EINVAL, "unsupported encapsulated content type " + contentType);
        }
        boolean detached = encap.getContent() == null;
        List<byte[]> certs = new ArrayList<>();
        if (sd.getCertificates() != null) {
            for (ASN1Encodable c : sd.getCertificates()) {
                certs.add(c.toASN1Primitive().getEncoded("DER"));
            }
        }
        ASN1Set infos = sd.getSignerInfos();
        if (infos.size() == 0) {
            throw new Rejected(KernelErrno.EBADMSG, "PKCS#7 has no SignerInfo");
        }
        List<Signer> signers = new ArrayList<>();
        for (ASN1Encodable e : infos) {
            signers.add(signer(SignerInfo.getInstance(e), version));
        }
        boolean first = signers.getFirst().signedAttributes();
        for (Signer s : signers) {
            if (s.signedAttributes() != first) {
                throw new Rejected(KernelErrno.EINVAL, "signed attributes present on some signers only");
            }
        }
        return new Pkcs7Signature(version, List.copyOf(digestOids), contentType, detached, List.copyOf(certs), List.copyOf(signers));
    }

    private static Signer signer(SignerInfo si, int sdVersion) throws IOException, Rejected {
        int v = smallInt(si.getVersion().getValue());
        if (v != 1 && v != 3) {
            throw new Rejected(KernelErrno.EINVAL, "unsupported SignerInfo version " + si.getVersion().getValue());
        }
        if ((v == 1) != (sdVersion == 1)) {
            throw new Rejected(KernelErrno.EBADMSG, "SignedData version " + sdVersion
                    + " does not match SignerInfo version " + v);
        }
        SignerIdentifier sid = si.getSID();
        X500Name issuer = null;
        byte[] issuerDer = null;
        BigInteger serial = null;
        byte[] skid = null;
        // Version 1 names the key by issuer and serial number, version 3 by subject key identifier.
        if (v == 1) {
            if (sid.isTagged()) {
                throw new Rejected(KernelErrno.EBADMSG, "SignerInfo version 1 must use issuerAndSerialNumber");
            }
            IssuerAndSerialNumber isn = IssuerAndSerialNumber.getInstance(sid.getId());
            issuer = isn.getName();
            issuerDer = issuer.getEncoded("DER");
            // X500Name decodes its attributes lazily; force it now so a broken name fails here, typed.
            issuer.toString();
            serial = isn.getSerialNumber().getValue();
        } else {
            if (!sid.isTagged()) {
                throw new Rejected(KernelErrno.EBADMSG, "SignerInfo version 3 must use subjectKeyIdentifier");
            }
            skid = ASN1OctetString.getInstance(sid.getId()).getOctets();
        }
        ASN1ObjectIdentifier digestOid = si.getDigestAlgorithm().getAlgorithm();
        String sigOid = si.getDigestEncryptionAlgorithm().getAlgorithm().getId();
        return new Signer(v, issuer, issuerDer, serial, skid, digestOid.getId(),
                Algorithms.DIGESTS_BY_OID.get(digestOid.getId()), sigOid, Algorithms.keyAlgorithmOfSignature(sigOid),
                si.getAuthenticatedAttributes() != null, si.getEncryptedDigest().getOctets(),
                nullOrAbsent(si.getDigestAlgorithm().getParameters())
                        && nullOrAbsent(si.getDigestEncryptionAlgorithm().getParameters()));
    }

    /** Parameters sign-file writes: none, or NULL (rsaEncryption). */
    private static boolean nullOrAbsent(ASN1Encodable params) {
        return params == null || params.toASN1Primitive() instanceof org.bouncycastle.asn1.ASN1Null;
    }

    private static int smallInt(BigInteger b) {
        return b.bitLength() < 8 ? b.intValue() : -1;
    }
}
