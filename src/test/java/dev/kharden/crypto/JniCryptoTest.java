package dev.kharden.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.math.BigInteger;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import org.junit.jupiter.api.Test;

/**
 * The C side of the JNI bridge checks ranges again, behind the Java callers' checks: calls with
 * wrong lengths or offsets are refused with an error value and write nothing out of bounds.
 */
class JniCryptoTest {
    @Test
    void rsaRefusesASignatureThatIsNotExactlyTheModulusLength() throws Exception {
        assumeTrue(JniCrypto.available(), "the JNI bridge is not built here");
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        RSAPublicKey key = (RSAPublicKey) g.generateKeyPair().getPublic();
        long rsa = JniCrypto.rsaFromDer(key.getEncoded());
        assertThat(rsa).isNotZero();
        try {
            byte[] s = BigInteger.TWO.toByteArray();
            byte[] sig = new byte[256];
            System.arraycopy(s, 0, sig, 256 - s.length, s.length);
            byte[] out = new byte[256];
            assertThat(JniCrypto.rsaPublic(rsa, sig, out)).isEqualTo(256);
            assertThat(new BigInteger(1, out)).isEqualTo(BigInteger.TWO.modPow(key.getPublicExponent(), key.getModulus()));
            assertThat(JniCrypto.rsaPublic(rsa, new byte[255], new byte[256])).isEqualTo(-1);
            assertThat(JniCrypto.rsaPublic(rsa, new byte[128], new byte[4096])).isEqualTo(-1);
            byte[] small = new byte[255];
            assertThat(JniCrypto.rsaPublic(rsa, sig, small)).isEqualTo(-1);
            assertThat(small).containsOnly(0);
        } finally {
            JniCrypto.rsaFree(rsa);
        }
        assertThat(JniCrypto.rsaFromDer(new byte[] {0x30, 0x03, 0x02, 0x01, 0x01})).isZero();
    }

    @Test
    void aeadRefusesBadKeysNoncesAndRanges() {
        assumeTrue(JniCrypto.available(), "the JNI bridge is not built here");
        assertThat(JniCrypto.aeadNew(new byte[31], true)).isZero();
        long seal = JniCrypto.aeadNew(new byte[32], true);
        long open = JniCrypto.aeadNew(new byte[32], false);
        try {
            byte[] nonce = new byte[12];
            byte[] in = new byte[100];
            byte[] out = new byte[116];
            assertThat(JniCrypto.aeadSeal(seal, nonce, in, 0, 100, out)).isEqualTo(116);
            assertThat(JniCrypto.aeadOpen(open, nonce, out, 0, 100, new byte[100])).isEqualTo(100);
            out[0] ^= 1;
            assertThat(JniCrypto.aeadOpen(open, nonce, out, 0, 100, new byte[100])).isEqualTo(-1);
            assertThat(JniCrypto.aeadSeal(seal, new byte[11], in, 0, 100, out)).isEqualTo(-2);
            assertThat(JniCrypto.aeadSeal(seal, nonce, in, 1, 100, out)).isEqualTo(-2);
            assertThat(JniCrypto.aeadSeal(seal, nonce, in, -1, 10, out)).isEqualTo(-2);
            assertThat(JniCrypto.aeadSeal(seal, nonce, in, 0, 100, new byte[115])).isEqualTo(-2);
            assertThat(JniCrypto.aeadOpen(open, nonce, out, 0, 101, new byte[101])).isEqualTo(-2); // no room for the tag
            assertThat(JniCrypto.aeadOpen(open, nonce, out, 0, 100, new byte[99])).isEqualTo(-2);
            assertThat(JniCrypto.aeadSeal(seal, nonce, in, 0, Integer.MAX_VALUE, out)).isEqualTo(-2);
        } finally {
            JniCrypto.aeadFree(seal);
            JniCrypto.aeadFree(open);
        }
    }
}
