package dev.kharden.modsig;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
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
    /** The system libcrypto for hashing and RSA, or null for the JDK alone; same verdicts either way. */
    private final LibCrypto crypto;

    public Verifier(TrustedKeys trusted) {
        this(trusted, LibCrypto.system());
    }

    Verifier(TrustedKeys trusted, LibCrypto crypto) {
        this.trusted = trusted;
        this.crypto = crypto;
    }

    /**
     * Loads libcrypto and links its calls on a background thread, so that work (tens of milliseconds)
     * overlaps reading the certificates and walking the tree instead of delaying the first module.
     */
    public static void prepare() {
        Thread.ofPlatform().daemon().name("kharden-libcrypto").start(LibCrypto::system);
    }

    public Verdict verify(ModuleImage m) {
        byte[] b = m.bytes();
        AppendedSignature a = AppendedSignature.locate(b, b.length);
        return verify(m.name(), m.compression(), a, b, 0,
                new SignedContent.InMemory(b, a instanceof AppendedSignature.Present p ? p.bodyLength() : 0));
    }

    /**
     * Verifies the module file at {@code path} as {@link #verify(ModuleImage)} does after
     * {@link ModuleImage#read}, with the same verdicts, but without holding an uncompressed module in
     * memory: the end of the file (trailer and PKCS#7) is read first, then the signed content is hashed
     * in one pass straight from the file. Compressed modules, small ones and any signature that does
     * not fit in the end bytes read take the in-memory path.
     */
    public Verdict verify(Path path, long limit) throws Rejected {
        return verify(path, limit, TAIL);
    }

    /**
     * End bytes read first: a module signature is well under 1 KiB (RSA-4096: 681 bytes). Kept small
     * because these bytes are read twice (here and when hashing), once per module of a tree.
     */
    static final int TAIL = 4 << 10;
    /** Per-thread read buffer for hashing modules from disk: large enough for few reads, small enough for the cache. */
    private static final int BUFFER = 256 << 10;

    Verdict verify(Path path, long limit, int tail) throws Rejected {
        String name = path.toString();
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size == 0 && !Files.isRegularFile(path)) {
                // a pipe (<(cat m.ko), /dev/stdin) has no size to find the signature by: read it to its end
                byte[] all = java.nio.channels.Channels.newInputStream(ch).readNBytes((int) Math.min(limit + 1, Integer.MAX_VALUE - 8));
                if (all.length > limit) {
                    throw new Rejected(KernelErrno.EFBIG, "input is over the " + limit + "-byte limit");
                }
                return verify(ModuleImage.of(name, all, limit));
            }
            if (size > limit) {
                throw new Rejected(KernelErrno.EFBIG, "file is " + size + " bytes, over the " + limit + "-byte limit");
            }
            byte[] head = new byte[8];
            if (size <= Math.max(tail, AppendedSignature.MIN_TAIL) || readFully(ch, head, 0, head.length, 0) < head.length
                    || Compression.detect(head, 0) != Compression.NONE) {
                return verify(ModuleImage.of(name, readWhole(ch, size), limit));
            }
            byte[] end = new byte[tail];
            long base = size - tail;
            if (readFully(ch, end, 0, tail, base) < tail) {
                throw new Rejected(KernelErrno.EIO, "file shrank while being read");
            }
            AppendedSignature a = AppendedSignature.locate(end, tail, size);
            if (a instanceof AppendedSignature.Present p && p.signatureOffset() < base) {
                return verify(ModuleImage.of(name, readWhole(ch, size), limit));
            }
            Verdict v = verify(name, Compression.NONE, a, end, base,
                    new SignedContent.InFile(ch, a instanceof AppendedSignature.Present p ? p.bodyLength() : 0,
                            buffers.get()));
            if (ch.size() != size) {
                throw new Rejected(KernelErrno.EIO, "file changed size while being read");
            }
            return v;
        } catch (IOException e) {
            if (Files.isDirectory(path)) {
                throw new Rejected(KernelErrno.EIO, "is a directory");
            }
            throw ModuleImage.rejected(e);
        }
    }

    private final ThreadLocal<byte[]> buffers = ThreadLocal.withInitial(() -> new byte[BUFFER]);

    private static int readFully(FileChannel ch, byte[] b, int off, int len, long at) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(b, off, len);
        while (bb.hasRemaining()) {
            if (ch.read(bb, at + bb.position() - off) < 0) {
                break;
            }
        }
        return bb.position() - off;
    }

    private static byte[] readWhole(FileChannel ch, long size) throws IOException, Rejected {
        byte[] b = new byte[(int) size];
        if (readFully(ch, b, 0, b.length, 0) < b.length) {
            throw new Rejected(KernelErrno.EIO, "file shrank while being read");
        }
        return b;
    }

    /**
     * The verdict for a located signature; {@code b} holds module bytes from offset {@code base} (the
     * whole module when 0), enough to reach the trailer and the PKCS#7 blob.
     */
    private Verdict verify(String name, Compression compression, AppendedSignature a, byte[] b, long base,
                           SignedContent content) {
        switch (a) {
            case AppendedSignature.Unsigned u -> {
                return new Verdict(name, Status.UNSIGNED, KernelErrno.ENODATA,
                        "no \"~Module signature appended~\" marker", compression, null, null, null, -1);
            }
            case AppendedSignature.Broken br -> {
                return new Verdict(name, br.errno().status(), br.errno(), br.reason(), compression,
                        br.trailer(), null, null, -1);
            }
            case AppendedSignature.Present p -> {
                Pkcs7Signature pk;
                try {
                    pk = Pkcs7Signature.parse(b, (int) (p.signatureOffset() - base), p.signatureLength());
                } catch (Rejected r) {
                    return new Verdict(name, r.errno().status(), r.errno(), r.reason(), compression,
                            p.trailer(), null, null, p.bodyLength());
                }
                try {
                    TrustedCert by = check(pk, content);
                    return new Verdict(name, Status.VALID, null, "signature verifies with " + by.subject(),
                            compression, p.trailer(), pk, by, p.bodyLength());
                } catch (Rejected r) {
                    return new Verdict(name, r.errno().status(), r.errno(), r.reason(), compression,
                            p.trailer(), pk, null, p.bodyLength());
                }
            }
        }
    }

    /** Returns the trusted certificate that verified the signature, or throws with the kernel's errno. */
    TrustedCert check(Pkcs7Signature pk, SignedContent content) throws Rejected {
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
                if (c.publicKey() != null && !verifies(s, c.publicKey(), content)) {
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
                    || !verifies(s, key.publicKey(), content)) {
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

    /**
     * Checks one signer's signature over the content with {@code key}. RSA is checked as the kernel's
     * pkcs1pad/rsassa-pkcs1 does: the signature is exactly the modulus length and below it, and
     * s^e mod n is the EMSA-PKCS1-v1_5 block 00 01 FF.. 00 DigestInfo, with the NULL parameters the
     * kernel's templates carry; other keys go through the JDK's Signature with the precomputed digest.
     */
    private boolean verifies(Pkcs7Signature.Signer s, PublicKey key, SignedContent content) throws Rejected {
        byte[] digest = content.digest(s.digest(), crypto);
        try {
            if (key instanceof RSAPublicKey rsa && s.keyAlgorithm().equals("RSA")) {
                return Pkcs1.verifies(rsa, s.digest(), digest, s.signature(), crypto);
            }
            if (!s.keyAlgorithm().equals("EC")) {
                return false;
            }
            Signature v = Signature.getInstance("NONEwithECDSA");
            v.initVerify(key);
            v.update(digest);
            return v.verify(s.signature());
        } catch (GeneralSecurityException | RuntimeException e) {
            // Wrong key type, malformed ECDSA DER, bad RSA length: the kernel's verify fails the same way.
            return false;
        }
    }
}
