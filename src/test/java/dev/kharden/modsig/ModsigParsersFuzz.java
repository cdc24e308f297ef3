package dev.kharden.modsig;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.kharden.input.InputException;
import java.util.List;

/**
 * Fuzz targets for every modsig parser of untrusted bytes. Invariant: each input ends in a typed
 * outcome (a Verdict, a Rejected with an errno, or an InputException), never another exception,
 * and decompression stays within its bound.
 */
class ModsigParsersFuzz {
    static final TrustedKeys NO_KEYS = new TrustedKeys(List.of());

    /** The trailer and magic at the end of a module, then the whole verifier on top. */
    @FuzzTest(maxDuration = "15s")
    void trailerParser(byte[] data) {
        AppendedSignature a = AppendedSignature.locate(data, data.length);
        if (a instanceof AppendedSignature.Present p && (p.bodyLength() < 0 || p.signatureOffset() + p.signatureLength()
                > data.length)) {
            throw new IllegalStateException("signature region outside the module");
        }
        try {
            new Verifier(NO_KEYS).verify(ModuleImage.of("fuzz", data, 1 << 20));
        } catch (Rejected r) {
            // typed outcome
        }
    }

    /** Arbitrary bytes as the PKCS#7 blob, also behind a valid trailer so the verifier sees them. */
    @FuzzTest(maxDuration = "15s")
    void pkcs7Parser(byte[] blob) {
        try {
            Pkcs7Signature.parse(blob, 0, blob.length);
            // The second parse may come from the template the first one left: it must equal a fresh parse.
            Pkcs7Signature cached = Pkcs7Signature.parse(blob, 0, blob.length);
            Pkcs7Signature fresh = Pkcs7Signature.parseFresh(blob, 0, blob.length);
            if (!Pkcs7Signature.sameBut(cached, fresh) || !java.util.Arrays.equals(
                    cached.signers().getFirst().signature(), fresh.signers().getFirst().signature())) {
                throw new IllegalStateException("a parse from the template differs from a fresh parse");
            }
        } catch (Rejected r) {
            // typed outcome
        }
        byte[] m = new byte[16 + blob.length + 40];
        System.arraycopy(blob, 0, m, 16, blob.length);
        System.arraycopy(SignatureTrailer.pkcs7(blob.length), 0, m, 16 + blob.length, 12);
        System.arraycopy(SignatureTrailer.MAGIC, 0, m, 16 + blob.length + 12, 28);
        new Verifier(NO_KEYS).verify(new ModuleImage("fuzz", m, Compression.NONE, m.length));
    }

    /**
     * Arbitrary bytes as an xz module and as an xz kernel payload: the one-call liblzma path and the
     * Java decoder agree on the bytes or the refusal, and neither goes past the bound.
     */
    @FuzzTest(maxDuration = "15s")
    void xzModuleDecoders(byte[] data) {
        for (boolean kernelPayload : new boolean[] {false, true}) {
            String whole = xzOutcome(data, kernelPayload, true);
            String streamed = xzOutcome(data, kernelPayload, false);
            if (!whole.equals(streamed)) {
                throw new IllegalStateException("liblzma and the Java decoder disagree: " + whole + " / " + streamed);
            }
        }
    }

    private static String xzOutcome(byte[] data, boolean singleStream, boolean wholeFirst) {
        try {
            return "bytes " + java.util.Arrays.hashCode(
                    Compression.XZ.decompress(data, 0, data.length, 1 << 16, singleStream, wholeFirst));
        } catch (Rejected r) {
            return r.errno() + " " + r.reason();
        }
    }

    /** ELF headers, section tables and .modinfo. */
    @FuzzTest(maxDuration = "15s")
    void elfModinfoParser(FuzzedDataProvider in) {
        byte[] base = TestKeys.elfModule(List.of("name=fuzz", "vermagic=6.1 SMP", "livepatch=Y"));
        int edits = in.consumeInt(0, 8);
        for (int i = 0; i < edits; i++) {
            base[in.consumeInt(0, base.length - 1)] = in.consumeByte();
        }
        byte[] data = in.consumeBoolean() ? base : in.consumeRemainingAsBytes();
        try {
            ModuleInfo info = ModuleInfo.parse("fuzz", data, data.length);
            info.kernelRelease();
        } catch (InputException e) {
            // typed outcome
        }
    }

    /** Kernel images: bzImage header, arm64 magic, compressed payloads, certificate scan. */
    @FuzzTest(maxDuration = "15s")
    void kernelImageParser(byte[] data) {
        try {
            KernelImage img = KernelImage.readChecked("fuzz", data, 4 << 20);
            if (img.kernel().length > (4 << 20) && img.compression() != Compression.NONE) {
                throw new IllegalStateException("decompressed past the bound");
            }
            BuiltinCertificates.scan(img.kernel(), "fuzz");
        } catch (Rejected r) {
            // typed outcome
        }
        for (Compression c : Compression.values()) {
            try {
                if (c.decompress(data, 0, data.length, 1 << 20, true).length > 1 << 20) {
                    throw new IllegalStateException(c + " decompressed past the bound");
                }
            } catch (Rejected r) {
                // typed outcome
            }
        }
    }

    /**
     * The libcrypto calls on arbitrary input: digests of any bytes, the RSA public operation on any
     * signature bytes with any modulus and exponent the JDK accepts as a key. Invariant: the same
     * answer as the JDK path (never a crash, never a different verdict).
     */
    @FuzzTest(maxDuration = "15s")
    void nativeCryptoMatchesJdk(FuzzedDataProvider in) throws Exception {
        LibCrypto crypto = LibCrypto.system();
        if (crypto == null) {
            return;
        }
        Algorithms.Digest d = in.pickValue(List.copyOf(Algorithms.DIGESTS_BY_OID.values()));
        java.math.BigInteger n = new java.math.BigInteger(1, in.consumeBytes(in.consumeInt(1, 520)));
        java.math.BigInteger e = java.math.BigInteger.valueOf(in.consumeLong(1, Long.MAX_VALUE));
        int k = (n.bitLength() + 7) / 8;
        byte[] sig = in.consumeBytes(in.consumeBoolean() ? k : in.consumeInt(0, 600));
        byte[] data = in.consumeRemainingAsBytes();
        byte[] hash = java.security.MessageDigest.getInstance(d.jdkName()).digest(data);
        try (dev.kharden.crypto.NativeDigest h = crypto.hash(d.name())) {
            h.update(data, 0, data.length);
            if (!java.util.Arrays.equals(h.finish(), hash)) {
                throw new IllegalStateException("libcrypto " + d.name() + " differs from the JDK");
            }
        }
        java.security.interfaces.RSAPublicKey key;
        try {
            key = (java.security.interfaces.RSAPublicKey) java.security.KeyFactory.getInstance("RSA")
                    .generatePublic(new java.security.spec.RSAPublicKeySpec(n, e));
        } catch (java.security.GeneralSecurityException | RuntimeException notAKey) {
            return;
        }
        boolean jdk;
        try {
            jdk = Pkcs1.verifies(key, d, hash, sig, null);
        } catch (ArithmeticException noInverse) {
            return; // an even or degenerate modulus the JDK's modPow refuses; the verifier maps it to false
        }
        if (Pkcs1.verifies(key, d, hash, sig, crypto) != jdk) {
            throw new IllegalStateException("libcrypto and the JDK disagree on an RSA signature");
        }
    }
}
