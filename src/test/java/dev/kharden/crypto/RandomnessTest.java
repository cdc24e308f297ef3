package dev.kharden.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Random bytes come from the kernel through the bridge when it is built, and look random either way. */
class RandomnessTest {
    /** Bytes of 4,096 draws: every value turns up, and no 16-byte draw repeats. */
    private static void looksRandom(java.util.function.Consumer<byte[]> source) {
        int[] counts = new int[256];
        Set<String> draws = new HashSet<>();
        for (int i = 0; i < 4096; i++) {
            byte[] b = new byte[16];
            source.accept(b);
            assertThat(draws.add(java.util.HexFormat.of().formatHex(b))).isTrue();
            for (byte x : b) {
                counts[x & 0xff]++;
            }
        }
        // 65,536 bytes, 256 each on average: a value missing, or far off, is no random source
        assertThat(java.util.Arrays.stream(counts).min().orElseThrow()).isGreaterThan(150);
        assertThat(java.util.Arrays.stream(counts).max().orElseThrow()).isLessThan(380);
    }

    @Test
    void fillLooksRandom() {
        looksRandom(Randomness::fill);
    }

    @Test
    void theBridgeReadsTheKernel() {
        assumeTrue(JniCrypto.bridgeLoaded(), "the JNI bridge is not built here (no C compiler)");
        looksRandom(b -> assertThat(Randomness.fromKernel(b)).isTrue());
        // more than the bridge's 256-byte buffer: the whole array is filled, not its first part
        byte[] big = new byte[10_000];
        assertThat(Randomness.fromKernel(big)).isTrue();
        for (int off = 0; off + 64 <= big.length; off += 64) {
            assertThat(java.util.Arrays.copyOfRange(big, off, off + 64)).as("bytes at %d", off).isNotEqualTo(new byte[64]);
        }
    }
}
