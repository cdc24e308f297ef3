package dev.kharden.modsig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The libcrypto path against the JDK path: the same digests, the same s^e mod n, and the same verdict
 * (status, errno, reason) for every real Debian module, valid and tampered, from memory and from disk.
 * CI installs OpenSSL, so the native side runs there; a machine without libcrypto.so.3 skips.
 */
class LibCryptoTest {
    static LibCrypto crypto;

    @BeforeAll
    static void load() {
        crypto = LibCrypto.system();
        Assumptions.assumeTrue(crypto != null, "libcrypto.so.3 absent: skipping");
    }

    @Test
    void everyKernelDigestMatchesTheJdkAtEverySizeAroundTheBuffer() throws Exception {
        Random r = new Random(7);
        for (int size : new int[] {0, 1, 63, 64, 65, LibCrypto.BUFFER - 1, LibCrypto.BUFFER, LibCrypto.BUFFER + 1,
                3 * LibCrypto.BUFFER + 17}) {
            byte[] b = new byte[size + 10];
            r.nextBytes(b);
            for (Algorithms.Digest d : Algorithms.DIGESTS_BY_OID.values()) {
                try (dev.kharden.crypto.NativeDigest h = crypto.hash(d.name())) {
                    assertThat(h).as(d.name()).isNotNull();
                    h.update(b, 5, size);
                    MessageDigest md = MessageDigest.getInstance(d.jdkName());
                    md.update(b, 5, size);
                    assertThat(h.finish()).as("%s of %d bytes", d.name(), size).isEqualTo(md.digest());
                }
            }
        }
    }

    @Test
    void unknownDigestIsNullAndBadRangesThrowBeforeNativeCode() {
        assertThat(crypto.hash("no-such-digest")).isNull();
        try (dev.kharden.crypto.NativeDigest h = crypto.hash("sha256")) {
            assertThatThrownBy(() -> h.update(new byte[4], 2, 3)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> h.update(crypto.buffer(), LibCrypto.BUFFER + 1L))
                    .isInstanceOf(IndexOutOfBoundsException.class);
            h.finish();
            assertThatThrownBy(() -> h.update(new byte[1], 0, 1)).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void rsaPublicOperationIsModPow() throws Exception {
        Random r = new Random(11);
        List<RSAPublicKey> keys = new ArrayList<>();
        for (int bits : new int[] {1024, 2048, 3072}) {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(bits);
            keys.add((RSAPublicKey) g.generateKeyPair().getPublic());
        }
        Path corpus = TestKeys.corpus();
        if (corpus != null) {
            keys.add((RSAPublicKey) CertificateFiles.read(corpus.resolve("amd64/module-signing-cert.der"))
                    .getFirst().publicKey());
        }
        for (RSAPublicKey key : keys) {
            BigInteger n = key.getModulus();
            int k = (n.bitLength() + 7) / 8;
            for (int i = 0; i < 20; i++) {
                BigInteger s = new BigInteger(n.bitLength() - 1 - r.nextInt(8), r);
                byte[] sig = fixed(s, k);
                assertThat(crypto.rsaPublic(key, sig)).isEqualTo(fixed(s.modPow(key.getPublicExponent(), n), k));
            }
            // At or over the modulus, libcrypto declines instead of answering (the caller checks first anyway).
            assertThat(crypto.rsaPublic(key, fixed(n, k))).isNull();
            assertThat(crypto.rsaPublic(key, fixed(BigInteger.ONE.shiftLeft(8 * k).subtract(BigInteger.ONE), k)))
                    .isNull();
            assertThatThrownBy(() -> crypto.rsaPublic(key, new byte[k - 1])).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> crypto.rsaPublic(key, new byte[k + 1])).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void manyDistinctKeysDoNotAccumulate() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(1024);
        for (int i = 0; i < 80; i++) {
            RSAPublicKey key = (RSAPublicKey) g.generateKeyPair().getPublic();
            int k = (key.getModulus().bitLength() + 7) / 8;
            byte[] sig = fixed(BigInteger.TWO, k);
            assertThat(crypto.rsaPublic(key, sig)).isEqualTo(fixed(BigInteger.TWO.modPow(key.getPublicExponent(),
                    key.getModulus()), k));
        }
    }

    /** Every corpus module, intact and with a body byte, a signature byte and the trailer changed. */
    @Test
    void nativeAndJdkVerdictsAgreeOnRealModulesValidAndTampered(@TempDir Path tmp) throws Exception {
        Path corpus = TestKeys.corpus();
        Assumptions.assumeTrue(corpus != null, "corpus absent: skipping");
        int compared = 0;
        for (String arch : List.of("amd64", "arm64")) {
            TrustedKeys keys = new TrustedKeys(CertificateFiles.read(corpus.resolve(arch + "/module-signing-cert.der")));
            Verifier fast = new Verifier(keys, crypto);
            Verifier jdk = new Verifier(keys, null);
            for (Path p : TestKeys.modules(corpus.resolve(arch + "/modules"))) {
                byte[] raw = Files.readAllBytes(p);
                int sigEnd = raw.length - 40;
                List<byte[]> variants = List.of(raw, flip(raw, raw.length / 3), flip(raw, sigEnd - 5),
                        flip(raw, sigEnd - 300), flip(raw, raw.length - 32), flip(raw, raw.length - 1));
                for (int i = 0; i < variants.size(); i++) {
                    byte[] v = variants.get(i);
                    Path f = Files.write(tmp.resolve(arch + "-" + p.getFileName() + "." + i), v);
                    Verdict a = fast.verify(ModuleImage.of("m", v, ModuleImage.DEFAULT_LIMIT));
                    Verdict b = jdk.verify(ModuleImage.of("m", v, ModuleImage.DEFAULT_LIMIT));
                    Verdict c = fast.verify(f, ModuleImage.DEFAULT_LIMIT);
                    Verdict d = jdk.verify(f, ModuleImage.DEFAULT_LIMIT);
                    for (Verdict x : List.of(b, c, d)) {
                        assertThat(x.status()).as("%s variant %d", p, i).isEqualTo(a.status());
                        assertThat(x.errno()).as("%s variant %d", p, i).isEqualTo(a.errno());
                        assertThat(x.reason()).as("%s variant %d", p, i).isEqualTo(a.reason());
                    }
                    if (i != 4) {
                        assertThat(a.status()).as("%s variant %d", p, i).isEqualTo(i == 0 ? Status.VALID
                                : i < 4 ? Status.INVALID : Status.UNSIGNED);
                    } else {
                        assertThat(a.status()).as("%s trailer changed", p).isNotEqualTo(Status.VALID);
                    }
                    compared++;
                }
            }
        }
        assertThat(compared).isGreaterThan(20);
    }

    static byte[] fixed(BigInteger v, int k) {
        byte[] b = v.toByteArray();
        byte[] out = new byte[k];
        int n = Math.min(b.length, k);
        System.arraycopy(b, b.length - n, out, k - n, n);
        return out;
    }

    private static byte[] flip(byte[] b, int at) {
        byte[] t = b.clone();
        t[at] ^= 0x10;
        return t;
    }
}
