package dev.kharden.modsig;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.List;

/**
 * Verifies a module's appended signature the way the kernel does, in the kernel's order and with its
 * errno for every refusal:
 * <ol>
 *   <li>module_sig_check: no marker is -ENODATA (unsigned);</li>
 *   <li>mod_check_sig: sig_len must fit, id_type must be PKCS#7 (else -ENOPKG), other fields zero;</li>
 *   <li>pkcs7_parse_message: structure, versions, algorithms (-EBADMSG, -EINVAL, -ENOPKG);</li>
 *   <li>the data must be detached (-EBADMSG), of type id-data, with no signed attributes
 *       (-EKEYREJECTED: the module policy in pkcs7_verify);</li>
 *   <li>a signer certificate carried in the message must verify the signature (-EKEYREJECTED);</li>
 *   <li>pkcs7_validate_trust: the signer (or the carried certificate's issuer) must be a trusted key
 *       (-ENOKEY otherwise) and its signature must verify (-EKEYREJECTED otherwise).</li>
 * </ol>
 * The signed content is exactly the module bytes before the PKCS#7 blob, after decompression.
 * Security invariant: only {@link Status#VALID} means the kernel would accept the signature.
 */
public final class Verifier {
    private final TrustedKeys trusted;

    public Verifier(TrustedKeys trusted) {
        this.trusted = trusted;
    }

    public Verdict verify(ModuleImage m) {
        byte[] b = m.bytes();
        AppendedSignature a = AppendedSignature.locate(b, b.length);
        switch (a) {
            case AppendedSignature.Unsigned u -> {
                return new Verdict(m.name(), Status.UNSIGNED, KernelErrno.ENODATA,
                        "no \"~Module signature appended~\" marker", m.compression(), null, null, null, -1);
            }
            case AppendedSignature.Broken br -> {
                return new Verdict(m.name(), br.errno().status(), br.errno(), br.reason(), m.compression(),
                        br.trailer(), null, null, -1);
            }
            case AppendedSignature.Present p -> {
                Pkcs7Signature pk;
                try {
                    pk = Pkcs7Signature.parse(b, p.signatureOffset(), p.signatureLength());
                } catch (Rejected r) {
                    return new Verdict(m.name(), r.errno().status(), r.errno(), r.reason(), m.compression(),
                            p.trailer(), null, null, p.bodyLength());
                }
                try {
                    TrustedCert by = check(pk, b, p.bodyLength());
                    return new Verdict(m.name(), Status.VALID, null, "signature verifies with " + by.subject(),
                            m.compression(), p.trailer(), pk, by, p.bodyLength());
                } catch (Rejected r) {
                    return new Verdict(m.name(), r.errno().status(), r.errno(), r.reason(), m.compression(),
                            p.trailer(), pk, null, p.bodyLength());
                }
            }
        }
    }

    /** Returns the trusted certificate that verified the signature, or throws with the kernel's errno. */
    TrustedCert check(Pkcs7Signature pk, byte[] body, int bodyLen) throws Rejected {
        if (!pk.detached()) {
            throw new Rejected(KernelErrno.EBADMSG, "PKCS#7 carries its own content; module signatures are detached");
        }
        if (!pk.contentTypeOid().equals(Pkcs7Signature.OID_DATA)) {
            throw new Rejected(KernelErrno.EKEYREJECTED, "content type is not pkcs7-data (Authenticode?)");
        }
        if (pk.signers().getFirst().signedAttributes()) {
            throw new Rejected(KernelErrno.EKEYREJECTED, "signed attributes are not allowed on module signatures");
        }
        // pkcs7_verify: per signer, unsupported crypto is skipped; any other failure is final.
        boolean anySupported = false;
        for (Pkcs7Signature.Signer s : pk.signers()) {
            if (s.digest() == null || s.keyAlgorithm() == null) {
                continue;
            }
            anySupported = true;
            byte[] carried = carriedCertificate(pk, s);
            if (carried != null) {
                TrustedCert c = TrustedCert.parse(carried, "certificate in signature");
                if (c.publicKey() != null && !verifies(s, c.publicKey(), body, bodyLen)) {
                    throw new Rejected(KernelErrno.EKEYREJECTED, "signature does not verify with the certificate "
                            + "carried in the signature (" + c.subject() + ")");
                }
            }
        }
        if (!anySupported) {
            Pkcs7Signature.Signer s = pk.signers().getFirst();
            throw new Rejected(KernelErrno.ENOPKG, s.digest() == null
                    ? "digest algorithm " + s.digestOid() + " is not one the kernel supports"
                    : "signature algorithm " + s.signatureOid() + " is not one the kernel supports");
        }
        // pkcs7_validate_trust: a verified match wins; a match that fails is final; else -ENOPKG/-ENOKEY.
        KernelErrno cached = KernelErrno.ENOKEY;
        for (Pkcs7Signature.Signer s : pk.signers()) {
            if (s.digest() == null || s.keyAlgorithm() == null) {
                cached = KernelErrno.ENOPKG;
                continue;
            }
            List<TrustedCert> keys = trusted.matching(s);
            if (keys.isEmpty()) {
                TrustedCert viaChain = viaCarriedChain(pk, s);
                if (viaChain != null) {
                    strict(pk, s);
                    return viaChain;
                }
                continue;
            }
            TrustedCert key = keys.getFirst();
            if (key.publicKey() == null || !key.keyAlgorithm().equals(s.keyAlgorithm())
                    || !verifies(s, key.publicKey(), body, bodyLen)) {
                throw new Rejected(KernelErrno.EKEYREJECTED, "bad signature: the content does not match the "
                        + s.digest().name() + "/" + s.keyAlgorithm() + " signature by trusted key " + key.subject());
            }
            strict(pk, s);
            return key;
        }
        if (cached == KernelErrno.ENOPKG) {
            throw new Rejected(KernelErrno.ENOPKG, "no signer uses crypto the kernel supports");
        }
        throw new Rejected(KernelErrno.ENOKEY, "signed by a key that is not trusted: "
                + pk.signers().getFirst().describeKey() + " (trusted: " + trusted.certs().size() + " certificate(s))");
    }

    /**
     * kharden is stricter than the kernel in one place: the PKCS#7 fields no signature covers (the
     * digestAlgorithms set, AlgorithmIdentifier parameters) must be what sign-file writes. The kernel
     * ignores them, so a byte changed there would still load; kharden reports it, because such a
     * module is not the one that was signed.
     */
    private static void strict(Pkcs7Signature pk, Pkcs7Signature.Signer s) throws Rejected {
        if (!pk.digestAlgorithmOids().contains(s.digestOid())) {
            throw new Rejected(KernelErrno.EBADMSG, "stricter than the kernel: the unsigned digestAlgorithms set "
                    + pk.digestAlgorithmOids() + " does not list the signer's digest " + s.digestOid()
                    + " (the kernel ignores this field; the signature itself verifies)");
        }
        if (!s.canonicalParameters()) {
            throw new Rejected(KernelErrno.EBADMSG, "stricter than the kernel: unexpected algorithm parameters in "
                    + "the SignerInfo (the kernel ignores them; the signature itself verifies)");
        }
    }

    private static byte[] carriedCertificate(Pkcs7Signature pk, Pkcs7Signature.Signer s) {
        for (byte[] der : pk.certificates()) {
            try {
                if (TrustedCert.parse(der, "certificate in signature").matches(s)) {
                    return der;
                }
            } catch (RuntimeException e) {
                // A carried certificate the parser cannot read is ignored, as it cannot be the signer.
            }
        }
        return null;
    }

    /**
     * The kernel also accepts a signer certificate carried in the message when a trusted key signed
     * it (one link: the carried certificate's issuer is the trusted certificate's subject).
     */
    private TrustedCert viaCarriedChain(Pkcs7Signature pk, Pkcs7Signature.Signer s) throws Rejected {
        byte[] der = carriedCertificate(pk, s);
        if (der == null) {
            return null;
        }
        org.bouncycastle.asn1.x509.Certificate carried =
                org.bouncycastle.asn1.x509.Certificate.getInstance(der);
        for (TrustedCert t : trusted.certs()) {
            if (t.publicKey() == null || !t.subject().equals(carried.getIssuer().toString())) {
                continue;
            }
            try {
                Signature v = Signature.getInstance(carried.getSignatureAlgorithm().getAlgorithm().getId());
                v.initVerify(t.publicKey());
                v.update(carried.getTBSCertificate().getEncoded("DER"));
                if (v.verify(carried.getSignature().getOctets())) {
                    return t;
                }
                throw new Rejected(KernelErrno.EKEYREJECTED, "carried certificate's signature by trusted key "
                        + t.subject() + " does not verify");
            } catch (GeneralSecurityException | java.io.IOException e) {
                // Unknown certificate signature algorithm: the kernel prunes the chain here.
            }
        }
        return null;
    }

    private static boolean verifies(Pkcs7Signature.Signer s, PublicKey key, byte[] body, int bodyLen) {
        try {
            Signature v = Signature.getInstance(Algorithms.jdkSignature(s.digest(), s.keyAlgorithm()));
            v.initVerify(key);
            v.update(body, 0, bodyLen);
            return v.verify(s.signature());
        } catch (GeneralSecurityException | RuntimeException e) {
            // Wrong key type, malformed ECDSA DER, bad RSA length: the kernel's verify fails the same way.
            return false;
        }
    }
}
