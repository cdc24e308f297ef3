package dev.kharden.modsig;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * RSASSA-PKCS1-v1_5 over a digest, with and without libcrypto, against the JDK's own
 * SHA256withRSA: the length and s &lt; n checks are made on the bytes, for moduli whose bit length
 * is and is not a multiple of 8.
 */
class Pkcs1Test {
    private static final Algorithms.Digest SHA256 = Algorithms.DIGESTS_BY_OID.get("2.16.840.1.101.3.4.2.1");
    private static final Algorithms.Digest SHA512 = Algorithms.DIGESTS_BY_OID.get("2.16.840.1.101.3.4.2.3");

    private static byte[] fixed(BigInteger v, int k) {
        byte[] raw = v.toByteArray();
        byte[] out = new byte[k];
        int n = Math.min(raw.length, k);
        System.arraycopy(raw, raw.length - n, out, k - n, n);
        return out;
    }

    @Test
    void agreesWithTheJdkAndRefusesSignaturesAtOrAboveTheModulus() throws Exception {
        for (int bits : new int[] {1024, 1031, 2048}) { // 1031: the top byte of n is not full
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(bits);
            KeyPair kp = g.generateKeyPair();
            RSAPublicKey pub = (RSAPublicKey) kp.getPublic();
            BigInteger n = pub.getModulus();
            int k = (n.bitLength() + 7) / 8;
            byte[] message = ("module body " + bits).getBytes();
            Signature signer = Signature.getInstance("SHA256withRSA");
            signer.initSign(kp.getPrivate());
            signer.update(message);
            byte[] sig = signer.sign();
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(message);
            // The JDK alone, libcrypto as kharden runs it (the JNI bridge when built), and libcrypto through FFM.
            for (LibCrypto crypto : new LibCrypto[] {null, LibCrypto.system(), LibCrypto.ffm()}) {
                assertThat(Pkcs1.verifies(pub, SHA256, hash, sig, crypto)).as("%d bits", bits).isTrue();
                assertThat(Pkcs1.verifies(pub, SHA512, hash, sig, crypto)).isFalse();
                byte[] other = hash.clone();
                other[0] ^= 1;
                assertThat(Pkcs1.verifies(pub, SHA256, other, sig, crypto)).isFalse();
                // s = n and s = n + 1 are refused before any arithmetic; n - 1 is a number, but not a signature.
                assertThat(Pkcs1.verifies(pub, SHA256, hash, fixed(n, k), crypto)).isFalse();
                assertThat(Pkcs1.verifies(pub, SHA256, hash, fixed(n.add(BigInteger.ONE), k), crypto)).isFalse();
                assertThat(Pkcs1.verifies(pub, SHA256, hash, fixed(n.subtract(BigInteger.ONE), k), crypto)).isFalse();
                // One byte short or long (a leading zero added) is not this modulus' length.
                assertThat(Pkcs1.verifies(pub, SHA256, hash, Arrays.copyOfRange(sig, 1, k), crypto)).isFalse();
                byte[] longer = new byte[k + 1];
                System.arraycopy(sig, 0, longer, 1, k);
                assertThat(Pkcs1.verifies(pub, SHA256, hash, longer, crypto)).isFalse();
            }
        }
    }

    @Test
    void theModulusBytesAreExactlyKBigEndianBytesPerKey() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        for (int bits : new int[] {1024, 1031}) {
            g.initialize(bits);
            RSAPublicKey a = (RSAPublicKey) g.generateKeyPair().getPublic();
            RSAPublicKey b = (RSAPublicKey) g.generateKeyPair().getPublic();
            int k = (bits + 7) / 8;
            assertThat(Pkcs1.Modulus.of(a)).hasSize(k).isEqualTo(fixed(a.getModulus(), k));
            assertThat(Pkcs1.Modulus.of(b)).isEqualTo(fixed(b.getModulus(), k)); // a second key is not served the first's
            assertThat(Pkcs1.Modulus.of(a)).isEqualTo(fixed(a.getModulus(), k));
        }
    }
}
