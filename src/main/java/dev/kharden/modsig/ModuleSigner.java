package dev.kharden.modsig;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.IssuerAndSerialNumber;
import org.bouncycastle.asn1.cms.SignedData;
import org.bouncycastle.asn1.cms.SignerIdentifier;
import org.bouncycastle.asn1.cms.SignerInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;

/**
 * Signs a module exactly as the kernel's scripts/sign-file does, so the result is byte-identical for
 * deterministic signatures (RSA PKCS#1 v1.5): a detached CMS SignedData with no certificates, no
 * signed attributes, the digest AlgorithmIdentifier without parameters, rsaEncryption with NULL
 * parameters (or ecdsa-with-SHAxxx), the signer named by issuer and serial (SignerInfo version 1) or by
 * subject key identifier with {@code keyId} (version 3, sign-file -k); then the 12-byte trailer and
 * the magic string. The module must be an uncompressed ELF; kbuild signs before it compresses.
 */
public final class ModuleSigner {
    /** What to sign with. */
    public record Options(PrivateKey key, TrustedCert cert, Algorithms.Digest digest, boolean keyId) {
    }

    /** Returns the PKCS#7 DER for {@code body}. */
    public static byte[] pkcs7(byte[] body, int bodyLen, Options o) throws GeneralSecurityException {
        String keyAlg = o.key().getAlgorithm();
        if (!keyAlg.equals("RSA") && !keyAlg.equals("EC")) {
            throw new GeneralSecurityException("a " + keyAlg + " key cannot sign modules: the kernel checks RSA "
                    + "and ECDSA module signatures only");
        }
        if (!keyAlg.equals(o.cert().keyAlgorithm())) {
            throw new GeneralSecurityException("the private key (" + o.key().getAlgorithm()
                    + ") does not belong to the certificate (" + o.cert().keyAlgorithm() + ")");
        }
        Signature s = Signature.getInstance(Algorithms.jdkSignature(o.digest(), keyAlg));
        s.initSign(o.key());
        s.update(body, 0, bodyLen);
        byte[] sig = s.sign();
        // sign-file refuses a key that is not the certificate's (openssl: "private key does not match
        // certificate"); the kernel would reject the signature with EKEYREJECTED
        if (o.cert().publicKey() != null) {
            Signature check = Signature.getInstance(Algorithms.jdkSignature(o.digest(), keyAlg));
            check.initVerify(o.cert().publicKey());
            check.update(body, 0, bodyLen);
            if (!check.verify(sig)) {
                throw new GeneralSecurityException("the private key does not belong to the certificate "
                        + o.cert().subject() + " (a signature made with it does not verify with the certificate's key)");
            }
        }
        AlgorithmIdentifier digestAlg = new AlgorithmIdentifier(new ASN1ObjectIdentifier(o.digest().oid()));
        ASN1ObjectIdentifier sigOid = new ASN1ObjectIdentifier(Algorithms.signatureOid(keyAlg, o.digest()));
        AlgorithmIdentifier sigAlg = keyAlg.equals("RSA") ? new AlgorithmIdentifier(sigOid, DERNull.INSTANCE)
                : new AlgorithmIdentifier(sigOid);
        SignerIdentifier sid;
        if (o.keyId()) {
            if (o.cert().subjectKeyId() == null) {
                throw new GeneralSecurityException("the certificate has no subjectKeyIdentifier; cannot sign by key id");
            }
            sid = new SignerIdentifier(new DEROctetString(o.cert().subjectKeyId()));
        } else {
            sid = new SignerIdentifier(new IssuerAndSerialNumber(X500Name.getInstance(o.cert().issuerDer()),
                    o.cert().serial()));
        }
        SignerInfo si = new SignerInfo(sid, digestAlg, (org.bouncycastle.asn1.ASN1Set) null, sigAlg,
                new DEROctetString(sig), null);
        SignedData sd = new SignedData(new DERSet(digestAlg),
                new ContentInfo(new ASN1ObjectIdentifier(Pkcs7Signature.OID_DATA), null), null, null, new DERSet(si));
        try {
            return new ContentInfo(new ASN1ObjectIdentifier(Pkcs7Signature.OID_SIGNED_DATA), sd)
                    .getEncoded(ASN1Encoding.DER);
        } catch (IOException e) {
            throw new IllegalStateException("DER encoding in memory failed", e);
        }
    }

    /** Returns {@code module} with the signature, trailer and magic appended. */
    public static byte[] sign(byte[] module, Options o) throws GeneralSecurityException {
        byte[] p7 = pkcs7(module, module.length, o);
        byte[] out = new byte[module.length + p7.length + SignatureTrailer.SIZE + SignatureTrailer.MAGIC.length];
        System.arraycopy(module, 0, out, 0, module.length);
        System.arraycopy(p7, 0, out, module.length, p7.length);
        System.arraycopy(SignatureTrailer.pkcs7(p7.length), 0, out, module.length + p7.length, SignatureTrailer.SIZE);
        System.arraycopy(SignatureTrailer.MAGIC, 0, out, module.length + p7.length + SignatureTrailer.SIZE,
                SignatureTrailer.MAGIC.length);
        return out;
    }

    /** The module without its last appended signature, or null if it is not (validly) signed. */
    public static byte[] stripSignature(byte[] module) {
        if (AppendedSignature.locate(module, module.length) instanceof AppendedSignature.Present p) {
            return java.util.Arrays.copyOf(module, p.bodyLength());
        }
        return null;
    }

    private ModuleSigner() {
    }
}
