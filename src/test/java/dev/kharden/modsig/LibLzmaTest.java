package dev.kharden.modsig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZ;
import org.tukaani.xz.XZOutputStream;

/**
 * xz modules decode to the same bytes, or fail with the same refusal, whether liblzma takes them
 * whole or the Java decoder streams them; and liblzma does take the ordinary ones.
 */
class LibLzmaTest {
    private static final long LIMIT = 1 << 20;

    static byte[] xz(byte[] data, int blockSize, int check) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (XZOutputStream o = new XZOutputStream(out, new LZMA2Options(1), check)) {
            for (int at = 0; at < data.length; at += blockSize) {
                o.write(data, at, Math.min(blockSize, data.length - at));
                o.endBlock(); // one index record per block
            }
        }
        return out.toByteArray();
    }

    private static byte[] sample(int size, long seed) {
        Random r = new Random(seed);
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (r.nextInt(8) == 0 ? r.nextInt() : i / 64); // compressible, not trivial
        }
        return b;
    }

    /** The outcome of a decode as comparable text: the bytes' hash or the refusal. */
    private static String outcome(byte[] xz, boolean wholeFirst) {
        try {
            return "bytes " + java.util.Arrays.hashCode(Compression.XZ.decompress(xz, 0, xz.length, LIMIT, false, wholeFirst));
        } catch (Rejected r) {
            return r.errno() + " " + r.reason();
        }
    }

    @Test
    void liblzmaDecodesOrdinaryModulesWhole() throws Exception {
        assumeTrue(LibLzma.available(), "liblzma.so.5 is not on this system: the Java decoder is used");
        for (int blocks : new int[] {1, 3, 17}) {
            byte[] data = sample(40_000 + blocks, blocks);
            byte[] xz = xz(data, Math.max(1, data.length / blocks + 1), XZ.CHECK_CRC32);
            assertThat(LibLzma.XzIndex.uncompressedSize(xz, 0, xz.length)).isEqualTo(data.length);
            assertThat(LibLzma.decode(xz, 0, xz.length, LIMIT, 64 << 20)).isEqualTo(data);
        }
        byte[] empty = xz(new byte[0], 1, XZ.CHECK_CRC64);
        assertThat(LibLzma.decode(empty, 0, empty.length, LIMIT, 64 << 20)).isEmpty();
    }

    @Test
    void whatLiblzmaDoesNotTakeWholeStillDecodesTheSame() throws Exception {
        byte[] a = xz(sample(5000, 1), 5000, XZ.CHECK_CRC32);
        byte[] b = xz(sample(7000, 2), 7000, XZ.CHECK_SHA256);
        byte[] two = concat(a, b);                    // concatenated streams (kmod reads them all)
        byte[] padded = concat(a, new byte[8]);       // stream padding
        byte[] bomb = xz(new byte[(int) LIMIT + 1], 1 << 16, XZ.CHECK_CRC32);
        for (byte[] x : new byte[][] {two, padded, bomb}) {
            assertThat(LibLzma.decode(x, 0, x.length, LIMIT, 64 << 20)).isNull();
            assertThat(outcome(x, true)).isEqualTo(outcome(x, false));
        }
        assertThat(outcome(two, true)).startsWith("bytes");
        assertThat(outcome(bomb, true)).contains("EFBIG");
    }

    @Test
    void damagedStreamsGiveTheSameRefusalEitherWay() throws Exception {
        byte[] data = sample(30_000, 3);
        byte[] good = xz(data, 10_000, XZ.CHECK_CRC32);
        Random r = new Random(4);
        int refused = 0;
        for (int i = 0; i < 300; i++) {
            byte[] bad = good.clone();
            bad[r.nextInt(bad.length)] ^= (byte) (1 << r.nextInt(8));
            String whole = outcome(bad, true);
            assertThat(whole).as("flip %d", i).isEqualTo(outcome(bad, false));
            refused += whole.startsWith("bytes") ? 0 : 1;
        }
        assertThat(refused).isGreaterThan(250); // the check and the index catch nearly every flip
        for (int cut = 1; cut < good.length; cut += 97) {
            byte[] shortened = java.util.Arrays.copyOf(good, cut);
            assertThat(outcome(shortened, true)).isEqualTo(outcome(shortened, false)).doesNotStartWith("bytes");
        }
    }

    @Test
    void aKernelPayloadWithItsSizeFieldDecodesTheSameEitherWay() throws Exception {
        byte[] data = sample(50_000, 6);
        byte[] stream = xz(data, data.length, XZ.CHECK_CRC32);
        byte[] payload = concat(stream, KernelImageTest.le64(data.length)); // 8 bytes: more than a size field
        byte[] sized = java.util.Arrays.copyOf(payload, stream.length + 4);  // the kernel's 4-byte size_append
        assertThat(LibLzma.XzIndex.streamLength(sized, 0, sized.length)).isEqualTo(stream.length);
        assertThat(LibLzma.XzIndex.streamLength(stream, 0, stream.length)).isEqualTo(stream.length);
        for (byte[] p : new byte[][] {sized, stream, payload}) {
            byte[] whole = Compression.XZ.decompress(p, 0, p.length, LIMIT, true, true);
            assertThat(whole).isEqualTo(Compression.XZ.decompress(p, 0, p.length, LIMIT, true, false)).isEqualTo(data);
        }
    }

    @Test
    void theCorpusKernelDecodesTheSameEitherWay() throws Exception {
        java.nio.file.Path corpus = TestKeys.corpus();
        assumeTrue(corpus != null, "../shared/corpus/debian-12 absent: skipping");
        java.nio.file.Path vmlinuz = corpus.resolve("amd64/vmlinuz-6.1.0-56-amd64");
        assumeTrue(LibLzma.available(), "liblzma.so.5 is not on this system: the Java decoder is used");
        byte[] f = java.nio.file.Files.readAllBytes(vmlinuz);
        int setup = ((f[0x1f1] & 0xff) + 1) * 512;
        int start = setup + (int) (KernelImageTest.u32(f, 0x248));
        int len = (int) KernelImageTest.u32(f, 0x24c);
        assertThat(Compression.detect(f, start)).isEqualTo(Compression.XZ);
        byte[] whole = LibLzma.decode(f, start, LibLzma.XzIndex.streamLength(f, start, len), KernelImage.LIMIT, 256 << 20);
        assertThat(whole).isNotNull().isEqualTo(Compression.XZ.decompress(f, start, len, KernelImage.LIMIT, true, false));
    }

    @Test
    void aStreamWithACheckTypeTheJavaDecoderRefusesIsRefusedEitherWay() throws Exception {
        byte[] data = sample(6000, 8);
        byte[] xz = xz(data, data.length, XZ.CHECK_CRC32);
        // Check ID 2 is reserved (4 bytes, like CRC32): same layout, a check no decoder knows. Patch it
        // in the stream header and footer with their CRC32s, and damage the block's check too.
        byte[] bad = xz.clone();
        bad[7] = 2;
        putCrc(bad, 6, 2, 8);
        int footer = bad.length - 12;
        bad[footer + 9] = 2;
        putCrc(bad, footer + 4, 6, footer);
        bad[footer - 12 - 1 - 4 - 4] ^= 1; // and a byte before the index damaged too
        String whole = outcome(bad, true);
        assertThat(whole).isEqualTo(outcome(bad, false)).doesNotStartWith("bytes");
        byte[] undamaged = xz.clone();
        undamaged[7] = 2;
        putCrc(undamaged, 6, 2, 8);
        undamaged[footer + 9] = 2;
        putCrc(undamaged, footer + 4, 6, footer);
        assertThat(outcome(undamaged, true)).isEqualTo(outcome(undamaged, false)).doesNotStartWith("bytes");
    }

    private static void putCrc(byte[] b, int from, int len, int at) {
        java.util.zip.CRC32 c = new java.util.zip.CRC32();
        c.update(b, from, len);
        long v = c.getValue();
        for (int i = 0; i < 4; i++) {
            b[at + i] = (byte) (v >>> (8 * i));
        }
    }

    @Test
    void theIndexReaderRejectsWhatIsNotAPlainStream() throws Exception {
        byte[] good = xz(sample(3000, 5), 1000, XZ.CHECK_CRC32);
        assertThat(LibLzma.XzIndex.uncompressedSize(good, 0, good.length)).isEqualTo(3000);
        assertThat(LibLzma.XzIndex.uncompressedSize(new byte[40], 0, 40)).isEqualTo(-1);
        byte[] noMagic = good.clone();
        noMagic[noMagic.length - 1] = 'X';
        assertThat(LibLzma.XzIndex.uncompressedSize(noMagic, 0, noMagic.length)).isEqualTo(-1);
        byte[] hugeBackward = good.clone();
        hugeBackward[hugeBackward.length - 5] = 0x7f; // the index would start before the file
        assertThat(LibLzma.XzIndex.uncompressedSize(hugeBackward, 0, hugeBackward.length)).isEqualTo(-1);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
