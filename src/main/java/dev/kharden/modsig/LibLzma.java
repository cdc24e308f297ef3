package dev.kharden.modsig;

import dev.kharden.crypto.NativeLibraries;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * The system's liblzma ({@code liblzma.so.5}, from xz-utils) through the FFM API, for one call:
 * decoding a whole {@code .ko.xz} module or xz kernel payload at native speed
 * ({@code lzma_stream_buffer_decode}). The Java decoder in C1-compiled code runs at about a third of
 * that speed, and xz is what several distributions compress their module trees and kernels with. A
 * kernel takes a few hundred milliseconds in one call, during which the garbage collector waits
 * (the call works on the Java arrays themselves).
 *
 * <p>Only a plain single-stream file whose index states its size within the limit is decoded here,
 * into an array of exactly that size; liblzma checks the index, the block sizes and the integrity
 * check against the data. Anything else, and any failure, returns null: the caller then decodes
 * with the Java decoder, which gives the same bytes or reports the problem in its own words, so the
 * verdicts do not depend on the library. Absent library, a missing symbol or
 * {@code -Dkharden.liblzma=off}: {@link #available()} is false. Memory safety: the input and output
 * are Java arrays passed whole, with their own lengths; liblzma writes at most the output length.
 */
final class LibLzma {
    /** The system property that, set to {@code off}, keeps xz decoding in Java. */
    static final String SWITCH = "kharden.liblzma";
    private static final int LZMA_OK = 0;
    /**
     * Without this flag liblzma decodes a stream whose check type it does not know without checking
     * it; the Java decoder refuses such a stream, and so must the fast path (it then falls back).
     */
    private static final int LZMA_TELL_UNSUPPORTED_CHECK = 0x02;
    private static final MethodHandle DECODE = link();

    private LibLzma() {
    }

    static boolean available() {
        return DECODE != null;
    }

    private static MethodHandle link() {
        SymbolLookup lib = NativeLibraries.lookup("liblzma.so.5", SWITCH).orElse(null);
        if (lib == null) {
            return null;
        }
        var a = ValueLayout.ADDRESS;
        var l = ValueLayout.JAVA_LONG;
        try {
            // lzma_ret lzma_stream_buffer_decode(uint64_t *memlimit, uint32_t flags,
            //     const lzma_allocator *allocator, const uint8_t *in, size_t *in_pos, size_t in_size,
            //     uint8_t *out, size_t *out_pos, size_t out_size)
            return Linker.nativeLinker().downcallHandle(lib.findOrThrow("lzma_stream_buffer_decode"),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, a, ValueLayout.JAVA_INT, a, a, a, l, a, a, l),
                    Linker.Option.critical(true)); // one module at a time; Java arrays passed as they are
        } catch (java.util.NoSuchElementException | IllegalCallerException e) {
            return null; // a liblzma without the function, or native access refused: xz stays in Java
        }
    }

    /**
     * Decodes {@code b[off, off+len)}, one whole xz stream, when its index states an uncompressed
     * size of at most {@code limit} bytes; null when it is not such a stream or liblzma refuses it.
     */
    static byte[] decode(byte[] b, int off, int len, long limit, long decoderMemory) {
        if (DECODE == null) {
            return null;
        }
        long size = XzIndex.uncompressedSize(b, off, len);
        if (size < 0 || size > limit || size > Integer.MAX_VALUE - 8) {
            return null;
        }
        byte[] out = new byte[(int) size];
        long[] memlimit = {decoderMemory};
        long[] inPos = {0};
        long[] outPos = {0};
        int ret;
        try {
            ret = (int) DECODE.invokeExact(MemorySegment.ofArray(memlimit), LZMA_TELL_UNSUPPORTED_CHECK, MemorySegment.NULL,
                    MemorySegment.ofArray(b).asSlice(off, len), MemorySegment.ofArray(inPos), (long) len,
                    MemorySegment.ofArray(out), MemorySegment.ofArray(outPos), (long) out.length);
        } catch (Throwable t) {
            throw NativeLibraries.rethrow(t);
        }
        return ret == LZMA_OK && inPos[0] == len && outPos[0] == size ? out : null;
    }

    /** The xz stream footer and index (xz file format 1.0.4, sections 2.1.2 and 4), read for one figure. */
    static final class XzIndex {
        private static final int FOOTER = 12;
        private static final int HEADER = 12;

        private XzIndex() {
        }

        /**
         * The total uncompressed size the index of the single xz stream {@code b[off, off+len)}
         * records, or -1 when the bytes are not one plain stream (no padding, no second stream) with a
         * well-formed footer and index. The index's own CRC is left to liblzma, which checks it.
         */
        static long uncompressedSize(byte[] b, int off, int len) {
            if (len < HEADER + FOOTER + 8) {
                return -1;
            }
            int end = off + len;
            if (b[end - 2] != 'Y' || b[end - 1] != 'Z') {
                return -1;
            }
            long backward = ((b[end - 8] & 0xffL) | (b[end - 7] & 0xffL) << 8 | (b[end - 6] & 0xffL) << 16
                    | (b[end - 5] & 0xffL) << 24);
            long indexSize = (backward + 1) * 4;
            long index = end - FOOTER - indexSize;
            if (index < off + HEADER || b[(int) index] != 0) {
                return -1;
            }
            int[] at = {(int) index + 1};
            int limit = end - FOOTER - 4; // the index ends with its CRC32
            long records = varint(b, at, limit);
            long total = 0;
            for (long r = 0; r < records; r++) {
                long unpadded = varint(b, at, limit);
                long uncompressed = varint(b, at, limit);
                if (unpadded < 0 || uncompressed < 0) {
                    return -1;
                }
                total += uncompressed;
                if (total < 0 || total > Integer.MAX_VALUE) {
                    return -1;
                }
            }
            return records < 0 ? -1 : total;
        }

        /**
         * The length of an xz stream that ends {@code b[off, off+len)} or is followed there by the
         * 4-byte uncompressed size that kernel builds append to a compressed kernel (bzImage
         * payloads): {@code len}, or {@code len - 4} when only the latter ends in the footer magic.
         */
        static int streamLength(byte[] b, int off, int len) {
            int end = off + len;
            boolean atEnd = len >= 2 && b[end - 2] == 'Y' && b[end - 1] == 'Z';
            boolean beforeSize = len >= 6 && b[end - 6] == 'Y' && b[end - 5] == 'Z';
            return !atEnd && beforeSize ? len - 4 : len;
        }

        /** One multibyte integer (7 bits a byte, at most 9 bytes) at {@code at[0]} before {@code limit}, or -1. */
        private static long varint(byte[] b, int[] at, int limit) {
            long v = 0;
            for (int i = 0; i < 9; i++) {
                if (at[0] >= limit) {
                    return -1;
                }
                int x = b[at[0]++] & 0xff;
                v |= (long) (x & 0x7f) << (7 * i);
                if ((x & 0x80) == 0) {
                    return (x == 0 && i > 0) ? -1 : v; // no trailing zero bytes: the encoding is unique
                }
            }
            return -1;
        }
    }
}
