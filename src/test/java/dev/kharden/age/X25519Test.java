package dev.kharden.age;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.SecureRandom;
import java.security.spec.NamedParameterSpec;
import java.security.spec.XECPrivateKeySpec;
import java.security.spec.XECPublicKeySpec;
import java.util.HexFormat;
import javax.crypto.KeyAgreement;
import org.junit.jupiter.api.Test;

/**
 * X25519 as age uses it, libcrypto's (when the JNI bridge is built) and BouncyCastle's: RFC 7748's
 * vectors, the same results as the JDK's XDH provider on random and edge-case inputs (u with its top
 * bit set, u at or above p), and low-order shares refused.
 */
class X25519Test {
    private static final HexFormat HEX = HexFormat.of();

    /** One way to compute X25519. */
    private interface Way {
        byte[] x25519(byte[] scalar, byte[] u) throws InvalidKeyException;
    }

    /** The ways under test: what age uses (libcrypto's where there), and the portable one. */
    private static java.util.List<Way> ways() {
        return java.util.List.of(Primitives::x25519, Primitives::x25519Portable);
    }

    /** Where the bridge is built, libcrypto's X25519 is the one in use: a failure above is then its failure. */
    @Test
    void theBridgeComputesX25519WhereItIsBuilt() {
        org.junit.jupiter.api.Assumptions.assumeTrue(dev.kharden.crypto.JniCrypto.available(),
                "the JNI bridge to libcrypto is not built here (no C compiler, or no libcrypto.so.3)");
        assertThat(dev.kharden.crypto.JniCrypto.hasX25519()).isTrue();
        byte[] out = new byte[32];
        byte[] u = new byte[32];
        u[0] = 9;
        assertThat(dev.kharden.crypto.JniCrypto.x25519(new byte[32], u, out)).isEqualTo(1);
        assertThat(dev.kharden.crypto.JniCrypto.x25519(new byte[32], new byte[32], out)).as("all-zero result").isZero();
        assertThat(dev.kharden.crypto.JniCrypto.x25519(new byte[31], u, out)).isEqualTo(-1);
    }

    @Test
    void rfc7748Vectors() throws Exception {
        for (Way w : ways()) {
            rfc7748Vectors(w);
        }
    }

    private static void rfc7748Vectors(Way w) throws Exception {
        // Section 5.2, first vector.
        assertThat(HEX.formatHex(w.x25519(
                HEX.parseHex("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4"),
                HEX.parseHex("e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c"))))
                .isEqualTo("c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552");
        // Section 6.1: both public keys, and one shared secret from either side.
        byte[] alice = HEX.parseHex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a");
        byte[] bob = HEX.parseHex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb");
        byte[] alicePub = w.x25519(alice, Primitives.BASEPOINT);
        byte[] bobPub = w.x25519(bob, Primitives.BASEPOINT);
        assertThat(HEX.formatHex(alicePub)).isEqualTo("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a");
        assertThat(HEX.formatHex(bobPub)).isEqualTo("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f");
        assertThat(w.x25519(alice, bobPub)).isEqualTo(w.x25519(bob, alicePub));
    }

    @Test
    void sameAsTheJdkOnRandomAndEdgeInputs() throws Exception {
        for (Way w : ways()) {
            sameAsTheJdkOnRandomAndEdgeInputs(w);
        }
    }

    private static void sameAsTheJdkOnRandomAndEdgeInputs(Way w) throws Exception {
        SecureRandom rnd = new SecureRandom();
        for (int i = 0; i < 300; i++) {
            byte[] k = new byte[32];
            byte[] u = new byte[32];
            rnd.nextBytes(k);
            rnd.nextBytes(u);
            switch (i % 3) {
                case 0 -> u[31] |= (byte) 0x80;      // top bit set: masked by both
                case 1 -> {                           // u in [p, 2^255): reduced mod p by both
                    java.util.Arrays.fill(u, (byte) 0xff);
                    u[31] = 0x7f;
                    u[0] = (byte) (0xed + rnd.nextInt(0x13));
                }
                default -> { }
            }
            byte[] ours;
            try {
                ours = w.x25519(k, u);
            } catch (InvalidKeyException e) {
                ours = null;
            }
            assertThat(ours).as("k=%s u=%s", HEX.formatHex(k), HEX.formatHex(u)).isEqualTo(jdk(k, u));
        }
    }

    @Test
    void lowOrderSharesAreRefused() {
        ways().forEach(X25519Test::lowOrderSharesAreRefused);
    }

    private static void lowOrderSharesAreRefused(Way w) {
        byte[] k = new byte[32];
        new SecureRandom().nextBytes(k);
        for (String lowOrder : new String[] {
            "0000000000000000000000000000000000000000000000000000000000000000",
            "0100000000000000000000000000000000000000000000000000000000000000",
            "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
            "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"}) {
            assertThatThrownBy(() -> w.x25519(k, HEX.parseHex(lowOrder)))
                    .as(lowOrder).isInstanceOf(InvalidKeyException.class).hasMessageContaining("low-order");
        }
    }

    /** The JDK's XDH: the result, or null when it refuses (an all-zero secret). */
    private static byte[] jdk(byte[] k, byte[] u) throws Exception {
        byte[] be = new byte[32];
        for (int i = 0; i < 32; i++) {
            be[i] = u[31 - i];
        }
        be[0] &= 0x7f;
        KeyFactory kf = KeyFactory.getInstance("XDH");
        KeyAgreement ka = KeyAgreement.getInstance("X25519");
        ka.init(kf.generatePrivate(new XECPrivateKeySpec(NamedParameterSpec.X25519, k)));
        try {
            ka.doPhase(kf.generatePublic(new XECPublicKeySpec(NamedParameterSpec.X25519, new BigInteger(1, be))), true);
            return ka.generateSecret();
        } catch (InvalidKeyException | IllegalStateException e) {
            return null; // "Point has small order"
        }
    }
}
