package dev.kharden.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * libcrypto's digests through kharden's JNI bridge and through the FFM API, each against the JDK, on
 * every kind of input NativeDigest takes: an array slice, a heap segment and native memory.
 */
class NativeDigestEnginesTest {
    private static final String[][] NAMES = {
        {"sha1", "SHA-1"}, {"sha256", "SHA-256"}, {"sha512", "SHA-512"}, {"sha3-256", "SHA3-256"},
    };

    private static List<NativeDigest.Engine> engines() {
        List<NativeDigest.Engine> out = new ArrayList<>();
        for (NativeDigest.Engine e : new NativeDigest.Engine[] {NativeDigest.Engine.jni(), NativeDigest.Engine.ffm()}) {
            if (e != null) {
                out.add(e);
            }
        }
        assumeTrue(!out.isEmpty(), "no libcrypto.so.3 on this machine: nothing to compare");
        return out;
    }

    private static boolean onPath(String tool) throws Exception {
        return new ProcessBuilder("sh", "-c", "command -v " + tool).start().waitFor() == 0;
    }

    @Test
    void theBridgeIsBuiltAndUsedWhereACCompilerIs() throws Exception {
        String dir = System.getProperty(JniCrypto.DIR_PROPERTY);
        assumeTrue(dir != null, "the test run names no native folder");
        assumeTrue(onPath(System.getenv().getOrDefault("CC", "cc")), "no C compiler: the bridge is not built, FFM is used");
        assumeTrue(Files.exists(Path.of("/usr/lib/x86_64-linux-gnu/libcrypto.so.3"))
                || Files.exists(Path.of("/usr/lib/aarch64-linux-gnu/libcrypto.so.3")), "no libcrypto.so.3");
        assertThat(Path.of(dir, JniCrypto.LIBRARY)).isRegularFile();
        assertThat(JniCrypto.available()).isTrue();
        assertThat(NativeDigest.viaJni()).isTrue();
        assertThat(NativeDigest.Engine.jni()).isNotNull();
    }

    @Test
    void everyEngineMatchesTheJdkOnArraysHeapSegmentsNativeMemoryAndDirectBuffers() throws Exception {
        Random r = new Random(7);
        for (NativeDigest.Engine engine : engines()) {
            for (String[] name : NAMES) {
                for (int size : new int[] {0, 1, 55, 64, 1000, 300_000}) {
                    byte[] data = new byte[size + 10];
                    r.nextBytes(data);
                    byte[] want = MessageDigest.getInstance(name[1]).digest(Arrays.copyOfRange(data, 7, 7 + size));

                    NativeDigest a = NativeDigest.start(engine, name[0]);
                    a.update(data, 7, size);
                    assertThat(a.finish()).as("%s %s array %d", engine, name[0], size).isEqualTo(want);

                    NativeDigest h = NativeDigest.start(engine, name[0]);
                    h.update(MemorySegment.ofArray(data).asSlice(7, size), size);
                    assertThat(h.finish()).as("%s %s heap segment %d", engine, name[0], size).isEqualTo(want);

                    try (Arena arena = Arena.ofConfined()) {
                        MemorySegment n = arena.allocate(size + 1);
                        MemorySegment.copy(data, 7, n, ValueLayout.JAVA_BYTE, 0, size);
                        NativeDigest d = NativeDigest.start(engine, name[0]);
                        d.update(n, size);
                        assertThat(d.finish()).as("%s %s native %d", engine, name[0], size).isEqualTo(want);
                    }

                    ByteBuffer direct = ByteBuffer.allocateDirect(size + 10).put(data).position(7).limit(7 + size);
                    NativeDigest b = NativeDigest.start(engine, name[0]);
                    b.update(direct);
                    assertThat(direct.position()).isEqualTo(7 + size);
                    assertThat(b.finish()).as("%s %s direct buffer %d", engine, name[0], size).isEqualTo(want);
                }
            }
        }
    }

    /** The bridge's own checks on a direct buffer: its address and capacity, whatever Java checked before. */
    @Test
    void theBridgeRefusesHeapBuffersAndRangesBeyondADirectBuffer() {
        assumeTrue(JniCrypto.available(), "no JNI bridge here");
        long ctx = JniCrypto.digestStart(JniCrypto.digestByName("sha256\0".getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
        try {
            ByteBuffer d = ByteBuffer.allocateDirect(16);
            assertThat(JniCrypto.digestUpdateBuffer(ctx, ByteBuffer.wrap(new byte[16]), 0, 16)).isZero();
            assertThat(JniCrypto.digestUpdateBuffer(ctx, d, 10, 7)).isZero();
            assertThat(JniCrypto.digestUpdateBuffer(ctx, d, -1, 2)).isZero();
            assertThat(JniCrypto.digestUpdateBuffer(ctx, d, 0, -1)).isZero();
            assertThat(JniCrypto.digestUpdateBuffer(ctx, d.position(8), 0, 16)).isEqualTo(1); // ranges ignore the position
        } finally {
            JniCrypto.digestFree(ctx);
        }
    }

    @Test
    void unknownNamesAndBadRangesAreRefusedBeforeNativeCode() {
        for (NativeDigest.Engine engine : engines()) {
            assertThat(NativeDigest.start(engine, "no-such-digest")).isNull();
            NativeDigest d = NativeDigest.start(engine, "sha256");
            byte[] b = new byte[16];
            assertThatThrownBy(() -> d.update(b, 10, 7)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> d.update(b, -1, 2)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> d.update(MemorySegment.ofArray(b), 17)).isInstanceOf(IndexOutOfBoundsException.class);
            assertThatThrownBy(() -> d.update(MemorySegment.ofArray(new int[4]), 4)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> d.update(ByteBuffer.wrap(b))).isInstanceOf(IllegalArgumentException.class);
            d.update(b, 0, 16);
            assertThat(d.finish()).hasSize(32);
            assertThatThrownBy(() -> d.update(b, 0, 1)).isInstanceOf(IllegalStateException.class);
            d.close(); // a second close is harmless
        }
    }
}
