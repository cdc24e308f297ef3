package dev.kharden.modsig;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Recognises a compressed stream by its magic bytes and decompresses it with a hard bound on the
 * output, for modules (gzip, xz, zstd: what kmod and the kernel's module loader accept) and kernel
 * image payloads (also lzma, bzip2, lz4). LZO is recognised but not decoded: there is no maintained
 * Java LZO decoder. Security: compressed input is untrusted, so output is capped (a decompression
 * bomb stops at the cap with EFBIG) and every decoder failure becomes a {@link Rejected}.
 */
public enum Compression {
    NONE("none"),
    GZIP("gzip"),
    XZ("xz"),
    ZSTD("zstd"),
    LZMA("lzma"),
    BZIP2("bzip2"),
    LZ4("lz4"),
    LZO("lzo");

    private static final byte[] M_GZIP = {0x1f, (byte) 0x8b};
    private static final byte[] M_XZ = {(byte) 0xfd, '7', 'z', 'X', 'Z', 0};
    private static final byte[] M_ZSTD = {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd};
    private static final byte[] M_LZMA = {0x5d, 0, 0};
    private static final byte[] M_BZIP2 = {'B', 'Z', 'h'};
    private static final byte[] M_LZ4_LEGACY = {0x02, 0x21, 0x4c, 0x18};
    private static final byte[] M_LZOP = {(byte) 0x89, 'L', 'Z', 'O', 0, 0x0d, 0x0a, 0x1a, 0x0a};

    /**
     * Cap on the decoder's own memory (xz/lzma dictionaries are declared by the untrusted header, up to
     * 4 GiB): kernel builds use at most 64 MiB dictionaries.
     */
    private static final int DECODER_MEMORY_KIB = 256 * 1024;

    private final String word;

    Compression(String word) {
        this.word = word;
    }

    public String word() {
        return word;
    }

    /** The compression whose magic starts at {@code off}, or NONE. */
    public static Compression detect(byte[] b, int off) {
        if (starts(b, off, M_GZIP)) {
            return GZIP;
        }
        if (starts(b, off, M_XZ)) {
            return XZ;
        }
        if (starts(b, off, M_ZSTD)) {
            return ZSTD;
        }
        if (starts(b, off, M_LZMA)) {
            return LZMA;
        }
        if (starts(b, off, M_BZIP2)) {
            return BZIP2;
        }
        if (starts(b, off, M_LZ4_LEGACY)) {
            return LZ4;
        }
        if (starts(b, off, M_LZOP)) {
            return LZO;
        }
        return NONE;
    }

    private static boolean starts(byte[] b, int off, byte[] magic) {
        return off >= 0 && off + magic.length <= b.length
                && Arrays.equals(b, off, off + magic.length, magic, 0, magic.length);
    }

    /**
     * Decompresses {@code len} bytes at {@code off}, producing at most {@code limit} bytes.
     * {@code singleStream} stops after the first xz stream (kernel payloads carry a 4-byte size after
     * it); modules may hold several.
     */
    public byte[] decompress(byte[] b, int off, int len, long limit, boolean singleStream) throws Rejected {
        return decompress(b, off, len, limit, singleStream, true);
    }

    /**
     * As {@link #decompress(byte[], int, int, long, boolean)}; {@code wholeFirst} tries the one-call
     * decoders first (a zstd frame, or an xz stream through liblzma), which return null for anything
     * they do not take whole, so both settings give the same bytes or the same refusal (tests compare).
     */
    byte[] decompress(byte[] b, int off, int len, long limit, boolean singleStream, boolean wholeFirst)
            throws Rejected {
        if (this == NONE) {
            return Arrays.copyOfRange(b, off, off + len);
        }
        if (this == LZO) {
            throw new Rejected(KernelErrno.ENOPKG, "LZO-compressed data is not supported: there is no maintained "
                    + "Java LZO decoder (decompress it with lzop first)");
        }
        byte[] whole = !wholeFirst ? null
                : this == ZSTD ? zstdOneFrame(b, off, len, limit)
                : this == XZ ? LibLzma.decode(b, off, singleStream ? LibLzma.XzIndex.streamLength(b, off, len) : len,
                        limit, DECODER_MEMORY_KIB * 1024L)
                : null;
        if (whole != null) {
            return whole;
        }
        try (InputStream in = open(new ByteArrayInputStream(b, off, frameLength(b, off, len, singleStream)),
                singleStream)) {
            return readBounded(in, limit, word);
        } catch (Rejected r) {
            throw r;
        } catch (IOException | RuntimeException | LinkageError e) {
            // Decoders report corrupt input as IOException subclasses or, for some, runtime exceptions;
            // LinkageError covers a zstd native library that cannot load on this platform.
            throw new Rejected(KernelErrno.EBADMSG, word + " stream is corrupt or truncated ("
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")");
        }
    }

    /**
     * Input that is exactly one zstd frame stating its size within the limit (what zstd writes for a
     * file, so every .ko.zst) decompresses in one call into an array of that size: no stream, no
     * growing buffer. Anything else, including any error, returns null and takes the stream path,
     * which produces the same bytes or reports the failure.
     */
    private static byte[] zstdOneFrame(byte[] b, int off, int len, long limit) {
        try {
            long frame = com.github.luben.zstd.Zstd.findFrameCompressedSize(b, off, len);
            if (com.github.luben.zstd.Zstd.isError(frame) || frame != len) {
                return null;
            }
            long size = com.github.luben.zstd.Zstd.getFrameContentSize(b, off, len);
            if (size <= 0 || size > limit || size > Integer.MAX_VALUE - 8) {
                return null;
            }
            byte[] out = new byte[(int) size];
            long n = com.github.luben.zstd.Zstd.decompressByteArray(out, 0, out.length, b, off, len);
            return com.github.luben.zstd.Zstd.isError(n) || n != size ? null : out;
        } catch (RuntimeException | LinkageError e) {
            return null; // corrupt input (ZstdException) or no native library: the stream path reports it
        }
    }

    /** For a single zstd frame (kernel payload), its exact length: the 4-byte size after it is not a frame. */
    private int frameLength(byte[] b, int off, int len, boolean singleStream) {
        if (this != ZSTD || !singleStream) {
            return len;
        }
        long n = com.github.luben.zstd.Zstd.findFrameCompressedSize(b, off, len);
        return com.github.luben.zstd.Zstd.isError(n) || n <= 0 || n > len ? len : (int) n;
    }

    private InputStream open(InputStream raw, boolean singleStream) throws IOException {
        return switch (this) {
            case GZIP -> new java.util.zip.GZIPInputStream(raw, 1 << 16);
            case XZ -> singleStream ? new org.tukaani.xz.SingleXZInputStream(raw, DECODER_MEMORY_KIB)
                    : new org.tukaani.xz.XZInputStream(raw, DECODER_MEMORY_KIB);
            case ZSTD -> new com.github.luben.zstd.ZstdInputStreamNoFinalizer(raw);
            case LZMA -> new org.tukaani.xz.LZMAInputStream(raw, DECODER_MEMORY_KIB);
            case BZIP2 -> new org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream(raw);
            case LZ4 -> new Lz4LegacyInputStream(raw);
            case NONE, LZO -> raw;
        };
    }

    /** Reads all of {@code in}, refusing to produce more than {@code limit} bytes. */
    static byte[] readBounded(InputStream in, long limit, String what) throws IOException, Rejected {
        byte[] buf = new byte[1 << 16];
        int n = 0;
        while (true) {
            if (n == buf.length) {
                if (buf.length >= limit) {
                    if (in.read() < 0) {
                        return buf;
                    }
                    throw new Rejected(KernelErrno.EFBIG, what + " data expands to more than " + limit
                            + " bytes: refusing (decompression bomb?)");
                }
                buf = Arrays.copyOf(buf, (int) Math.min(limit, (long) buf.length * 2));
            }
            int r = in.read(buf, n, buf.length - n);
            if (r < 0) {
                return Arrays.copyOf(buf, n);
            }
            n += r;
        }
    }
}
