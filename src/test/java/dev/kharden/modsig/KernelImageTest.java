package dev.kharden.modsig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Kernel-image readers on images built here: an x86 bzImage header around payloads in every
 * compression the kernel build offers, arm64 Image plain and gzipped, and the certificate-list scan
 * with its size-field confirmation.
 */
class KernelImageTest {
    static TestKeys.Key a;
    static TestKeys.Key b;
    static byte[] kernel;

    @BeforeAll
    static void build() throws Exception {
        a = TestKeys.rsa("builtin one");
        b = TestKeys.ec("builtin two");
        kernel = fakeKernel(a.cert().der(), b.cert().der());
    }

    /** Filler, a stray certificate without size field, then system_certificate_list and its sizes. */
    static byte[] fakeKernel(byte[] c1, byte[] c2) throws Exception {
        TestKeys.Key stray = TestKeys.rsa("stray");
        ByteArrayOutputStream k = new ByteArrayOutputStream();
        k.write(new byte[0x40]);
        k.write(stray.cert().der());
        while (k.size() % 4096 != 0) {
            k.write(0x90);
        }
        int start = k.size();
        k.write(c1);
        k.write(c2);
        int len = k.size() - start;
        while (k.size() % 8 != 0) {
            k.write(0);
        }
        k.write(le64(len));
        k.write(le64(c1.length));
        k.write(new byte[1000]);
        return k.toByteArray();
    }

    static long u32(byte[] b, int at) {
        return (b[at] & 0xffL) | (b[at + 1] & 0xffL) << 8 | (b[at + 2] & 0xffL) << 16 | (b[at + 3] & 0xffL) << 24;
    }

    static byte[] le64(long v) {
        byte[] b = new byte[8];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (v >>> (8 * i));
        }
        return b;
    }

    /** A bzImage: setup header with payload_offset/length pointing at {@code payload}. */
    static byte[] bzImage(byte[] payload) {
        int setupSects = 3;
        int pm = (setupSects + 1) * 512;
        int payloadOffset = 0x100;
        byte[] f = new byte[pm + payloadOffset + payload.length + 4];
        f[0x1f1] = (byte) setupSects;
        f[0x202] = 'H';
        f[0x203] = 'd';
        f[0x204] = 'r';
        f[0x205] = 'S';
        f[0x206] = 0x0f;
        f[0x207] = 0x02;
        System.arraycopy(le64(payloadOffset), 0, f, 0x248, 4);
        System.arraycopy(le64(payload.length + 4), 0, f, 0x24c, 4);
        System.arraycopy(payload, 0, f, pm + payloadOffset, payload.length);
        System.arraycopy(le64(kernel.length), 0, f, pm + payloadOffset + payload.length, 4);   // size_append
        return f;
    }

    interface Compressor {
        void write(byte[] data, OutputStream out) throws Exception;
    }

    static byte[] compress(Compressor c) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        c.write(kernel, out);
        return out.toByteArray();
    }

    static void assertBuiltins(KernelImage img) {
        assertThat(img.kernel()).isEqualTo(kernel);
        List<BuiltinCertificates.Found> found = BuiltinCertificates.scan(img.kernel(), "test");
        assertThat(found).extracting(f -> f.cert().subject()).containsExactly("CN=builtin one", "CN=builtin two");
        assertThat(found).allMatch(BuiltinCertificates.Found::confirmed);
    }

    @Test
    void bzImagePayloadsInEveryDecodableCompression() throws Exception {
        List<Compressor> all = List.of(
                (d, o) -> { try (var z = new java.util.zip.GZIPOutputStream(o)) { z.write(d); } },
                (d, o) -> { try (var z = new org.tukaani.xz.XZOutputStream(o, new org.tukaani.xz.LZMA2Options(1))) { z.write(d); } },
                (d, o) -> o.write(com.github.luben.zstd.Zstd.compress(d)),
                (d, o) -> { try (var z = new org.tukaani.xz.LZMAOutputStream(o, new org.tukaani.xz.LZMA2Options(1), -1)) { z.write(d); } },
                (d, o) -> { try (var z = new org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream(o)) { z.write(d); } },
                KernelImageTest::lz4Legacy);
        List<Compression> expected = List.of(Compression.GZIP, Compression.XZ, Compression.ZSTD, Compression.LZMA,
                Compression.BZIP2, Compression.LZ4);
        for (int i = 0; i < all.size(); i++) {
            KernelImage img = KernelImage.read("bz", bzImage(compress(all.get(i))));
            assertThat(img.format()).isEqualTo("x86 bzImage");
            assertThat(img.compression()).isEqualTo(expected.get(i));
            assertBuiltins(img);
        }
    }

    /** lz4 -l: magic, then (le32 size, raw LZ4 block) pairs. */
    static void lz4Legacy(byte[] d, OutputStream o) throws Exception {
        o.write(new byte[] {0x02, 0x21, 0x4c, 0x18});
        ByteArrayOutputStream block = new ByteArrayOutputStream();
        try (var z = new org.apache.commons.compress.compressors.lz4.BlockLZ4CompressorOutputStream(block)) {
            z.write(d);
        }
        o.write(le64(block.size()), 0, 4);
        block.writeTo(o);
    }

    @Test
    void lzoPayloadIsNamedAsUnsupported() {
        byte[] lzo = {(byte) 0x89, 'L', 'Z', 'O', 0, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0};
        var e = assertThrows(dev.kharden.input.InputException.class, () -> KernelImage.read("lzo", bzImage(lzo)));
        assertThat(e.reason()).contains("LZO").contains("not supported");
    }

    @Test
    void arm64ImagePlainAndGzipped() throws Exception {
        byte[] image = kernel.clone();
        image[0x38] = 'A';
        image[0x39] = 'R';
        image[0x3a] = 'M';
        image[0x3b] = 0x64;
        KernelImage plain = KernelImage.read("Image", image);
        assertThat(plain.format()).isEqualTo("arm64 Image");
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (var z = new java.util.zip.GZIPOutputStream(gz)) {
            z.write(image);
        }
        KernelImage unzipped = KernelImage.read("Image.gz", gz.toByteArray());
        assertThat(unzipped.compression()).isEqualTo(Compression.GZIP);
        assertThat(unzipped.kernel()).isEqualTo(image);
        assertThat(BuiltinCertificates.scan(unzipped.kernel(), "t")).hasSize(2);
    }

    @Test
    void brokenImagesAreInputErrors() {
        byte[] bad = bzImage(new byte[] {1, 2, 3, 4});
        assertThat(assertThrows(dev.kharden.input.InputException.class, () -> KernelImage.read("x", bad)).reason())
                .contains("no known compression");
        byte[] outside = bzImage(new byte[16]);
        outside[0x24f] = 0x7f;
        assertThat(assertThrows(dev.kharden.input.InputException.class, () -> KernelImage.read("x", outside)).reason())
                .contains("outside");
        assertThrows(dev.kharden.input.InputException.class, () -> KernelImage.read("x", new byte[100]));
    }
}
