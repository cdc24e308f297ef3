package dev.kharden.modsig;

import dev.kharden.input.InputException;
import java.nio.charset.StandardCharsets;

/**
 * Turns a kernel image file into the uncompressed kernel whose data holds the built-in trusted keys:
 * <ul>
 *   <li>x86 bzImage: the setup header ("HdrS" at 0x202, boot protocol 2.08+) gives setup_sects
 *       (0x1f1), payload_offset (0x248) and payload_length (0x24c); the payload starts at
 *       (setup_sects + 1) * 512 + payload_offset and its magic says gzip, xz, zstd, lzma, bzip2, lz4
 *       or lzo (lzo: no Java decoder, reported as unsupported);</li>
 *   <li>arm64 Image ("ARM\x64" at 0x38), plain, or gzip-compressed as a whole (Image.gz);</li>
 *   <li>EFI zboot images ("zimg" at 4: payload offset and size at 8 and 12, compression name at 24);</li>
 *   <li>an ELF vmlinux, used as is.</li>
 * </ul>
 * Security: the image is untrusted; offsets are bounds-checked and decompression is capped.
 */
public record KernelImage(String format, Compression compression, byte[] kernel) {
    /** Distribution kernels decompress to ~70 MiB; a generous cap against bombs. */
    public static final long LIMIT = 1L << 30;

    public static KernelImage read(String source, byte[] f) {
        try {
            return readChecked(source, f, LIMIT);
        } catch (Rejected r) {
            throw InputException.ofFile(source, r.reason());
        }
    }

    static KernelImage readChecked(String source, byte[] f, long limit) throws Rejected {
        if (f.length >= 0x250 && ascii(f, 0x202, "HdrS")) {
            int version = le16(f, 0x206);
            if (version < 0x208) {
                throw new Rejected(KernelErrno.EINVAL, String.format(
                        "bzImage boot protocol %d.%02d predates payload_offset (2.08); cannot locate the kernel",
                        version >> 8, version & 0xff));
            }
            int setupSects = f[0x1f1] & 0xff;
            if (setupSects == 0) {
                setupSects = 4;
            }
            long start = (setupSects + 1L) * 512 + le32(f, 0x248);
            long len = le32(f, 0x24c);
            if (start + len > f.length || len < 4) {
                throw new Rejected(KernelErrno.EBADMSG, "bzImage payload (offset " + start + ", length " + len
                        + ") lies outside the " + f.length + "-byte file");
            }
            Compression c = Compression.detect(f, (int) start);
            if (c == Compression.NONE) {
                throw new Rejected(KernelErrno.EBADMSG, "bzImage payload at offset " + start
                        + " has no known compression magic");
            }
            return new KernelImage("x86 bzImage", c, c.decompress(f, (int) start, (int) len, limit, true));
        }
        if (f.length >= 0x40 && ascii(f, 0x38, "ARM\u0064")) {
            return new KernelImage("arm64 Image", Compression.NONE, f);
        }
        if (f.length >= 0x40 && ascii(f, 4, "zimg")) {
            long off = le32(f, 8);
            long size = le32(f, 12);
            if (off + size > f.length) {
                throw new Rejected(KernelErrno.EBADMSG, "EFI zboot payload lies outside the file");
            }
            Compression c = Compression.detect(f, (int) off);
            return new KernelImage("EFI zboot image", c, c.decompress(f, (int) off, (int) size, limit, true));
        }
        Compression whole = Compression.detect(f, 0);
        if (whole != Compression.NONE) {
            byte[] inner = whole.decompress(f, 0, f.length, limit, false);
            if (inner.length >= 0x40 && ascii(inner, 0x38, "ARM\u0064")) {
                return new KernelImage("arm64 Image", whole, inner);
            }
            if (inner.length >= 4 && inner[0] == 0x7f && ascii(inner, 1, "ELF")) {
                return new KernelImage("ELF vmlinux", whole, inner);
            }
            throw new Rejected(KernelErrno.EINVAL, whole.word() + "-compressed file is not a kernel image");
        }
        if (f.length >= 4 && f[0] == 0x7f && ascii(f, 1, "ELF")) {
            return new KernelImage("ELF vmlinux", Compression.NONE, f);
        }
        throw new Rejected(KernelErrno.EINVAL, "not a kernel image (no bzImage, arm64 Image, zboot or ELF header)");
    }

    private static boolean ascii(byte[] b, int at, String s) {
        byte[] m = s.getBytes(StandardCharsets.ISO_8859_1);
        return java.util.Arrays.equals(b, at, at + m.length, m, 0, m.length);
    }

    private static int le16(byte[] b, int at) {
        return (b[at] & 0xff) | (b[at + 1] & 0xff) << 8;
    }

    static long le32(byte[] b, int at) {
        return (b[at] & 0xffL) | (b[at + 1] & 0xffL) << 8 | (b[at + 2] & 0xffL) << 16 | (b[at + 3] & 0xffL) << 24;
    }
}
