package dev.kharden.age;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The age primitives on libcrypto against the JDK: HMAC-SHA-256 (built on libcrypto's SHA-256) and
 * the one-message ChaCha20-Poly1305 that wraps file keys (through the JNI bridge). Same bytes both
 * ways, on RFC 4231's published HMAC vectors and on random keys of every length around the block
 * size; each side opens what the other sealed and refuses a flipped bit or a short message.
 */
class PrimitivesTest {
    private static final Random RANDOM = new Random(7);

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    @Test
    void hmacOnLibcryptoGivesRfc4231sValues() {
        assumeTrue(LibCrypto.available(), "libcrypto.so.3 is not linked here");
        HexFormat hex = HexFormat.of();
        // RFC 4231 test cases 1 (20-byte key), 2 ("Jefe") and 6 (131-byte key, hashed first).
        assertEquals("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
                hex.formatHex(Primitives.hmacSha256Native(filled(20, 0x0b), "Hi There".getBytes(StandardCharsets.US_ASCII))));
        assertEquals("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
                hex.formatHex(Primitives.hmacSha256Native("Jefe".getBytes(StandardCharsets.US_ASCII),
                        "what do ya want ".getBytes(StandardCharsets.US_ASCII), "for nothing?".getBytes(StandardCharsets.US_ASCII))));
        assertEquals("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
                hex.formatHex(Primitives.hmacSha256Native(filled(131, 0xaa),
                        "Test Using Larger Than Block-Size Key - Hash Key First".getBytes(StandardCharsets.US_ASCII))));
    }

    private static byte[] filled(int n, int value) {
        byte[] b = new byte[n];
        java.util.Arrays.fill(b, (byte) value);
        return b;
    }

    @Test
    void hmacOnLibcryptoMatchesTheJdkForEveryKeyLength() {
        assumeTrue(LibCrypto.available(), "libcrypto.so.3 is not linked here");
        for (int keyLength = 0; keyLength <= 130; keyLength++) {
            byte[] key = random(keyLength);
            byte[] a = random(RANDOM.nextInt(200));
            byte[] b = random(RANDOM.nextInt(3));
            assertArrayEquals(Primitives.hmacSha256Jdk(key, a, b), Primitives.hmacSha256Native(key, a, b), "key of " + keyLength + " bytes");
        }
    }

    @Test
    void keyWrapOnTheBridgeMatchesTheJdk() {
        assumeTrue(LibCrypto.jniAvailable(), "the JNI bridge is not built here");
        for (int n : new int[] {0, 1, 16, 32, 100}) {
            byte[] key = random(32);
            byte[] nonce = random(12);
            byte[] plain = random(n);
            byte[] sealed = Primitives.seal(key, nonce, plain);
            assertArrayEquals(Primitives.sealJdk(key, nonce, plain), sealed);
            assertArrayEquals(plain, Primitives.openJdk(key, nonce, sealed));
            assertArrayEquals(plain, Primitives.open(key, nonce, sealed));
            sealed[RANDOM.nextInt(sealed.length)] ^= 1;
            assertNull(Primitives.open(key, nonce, sealed), "a flipped bit must not open");
            assertNull(Primitives.openJdk(key, nonce, sealed));
        }
        assertNull(Primitives.open(random(32), random(12), random(15)), "shorter than a tag");
    }
}
