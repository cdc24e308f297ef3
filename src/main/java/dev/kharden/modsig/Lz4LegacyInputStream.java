package dev.kharden.modsig;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import org.apache.commons.compress.compressors.lz4.BlockLZ4CompressorInputStream;

/**
 * Decodes the LZ4 "legacy" format the kernel build uses for lz4 payloads ({@code lz4 -l}): the magic
 * 0x184C2102, then blocks each prefixed by a little-endian u32 compressed size, each block a raw LZ4
 * block of at most 8 MiB output. The kernel appends its own 4-byte size after the last block, which
 * ends the stream here. Blocks are decoded by commons-compress.
 */
final class Lz4LegacyInputStream extends InputStream {
    private static final int MAGIC = 0x184C2102;
    private static final int MAX_BLOCK = 8 << 20;
    private final DataInputStream in;
    private InputStream block = InputStream.nullInputStream();
    private boolean done;

    Lz4LegacyInputStream(InputStream raw) throws IOException {
        this.in = new DataInputStream(raw);
        if (le32() != MAGIC) {
            throw new IOException("not an lz4 legacy stream");
        }
    }

    private int le32() throws IOException {
        int b0 = in.read();
        int b1 = in.read();
        int b2 = in.read();
        int b3 = in.read();
        if ((b0 | b1 | b2 | b3) < 0) {
            throw new EOFException();
        }
        return b0 | (b1 << 8) | (b2 << 16) | (b3 << 24);
    }

    private boolean nextBlock() throws IOException {
        while (true) {
            int size;
            try {
                size = le32();
            } catch (EOFException e) {
                return false;
            }
            if (size == MAGIC) {
                continue;
            }
            if (in.available() == 0) {
                return false;
            }
            if (size <= 0 || size > MAX_BLOCK + MAX_BLOCK / 255 + 16) {
                if (in.available() == 0) {
                    return false;
                }
                throw new IOException("lz4 block size " + Integer.toUnsignedString(size) + " out of range");
            }
            byte[] data = in.readNBytes(size);
            if (data.length < size) {
                throw new IOException("lz4 block truncated");
            }
            block = new BlockLZ4CompressorInputStream(new SequenceInputStream(new ByteArrayInputStream(data),
                    InputStream.nullInputStream()));
            return true;
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        while (!done) {
            int n = block.read(b, off, len);
            if (n > 0) {
                return n;
            }
            if (!nextBlock()) {
                done = true;
            }
        }
        return -1;
    }
}
