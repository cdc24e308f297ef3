package dev.kharden.age;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The payload writer's buffer paths (heap writes copied into its chunk, direct buffers encrypted where
 * they lie, a promise that more bytes follow) all give the same ciphertext as one plain write.
 */
class PayloadWriterTest {
    private static final int CHUNK = Payload.CHUNK;
    private final Random rnd = new Random(11);

    private static byte[] oneWrite(byte[] key, byte[] plain) throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (Payload.Writer w = new Payload.Writer(Channels.newChannel(sink), new Payload.JdkChunkCipher(key))) {
            w.write(plain);
        }
        return sink.toByteArray();
    }

    private static ByteBuffer direct(byte[] b, int off, int n) {
        return ByteBuffer.allocateDirect(n).put(b, off, n).flip();
    }

    @Test
    void chunkRoomSaysWhatFillsTheCurrentChunk() throws IOException {
        try (Payload.Writer w = new Payload.Writer(Channels.newChannel(new ByteArrayOutputStream()),
                new Payload.JdkChunkCipher(new byte[32]))) {
            assertThat(w.chunkRoom()).isEqualTo(CHUNK);
            w.write(new byte[512]);
            assertThat(w.chunkRoom()).isEqualTo(CHUNK - 512);
            w.write(new byte[CHUNK - 512]);
            assertThat(w.chunkRoom()).as("a full chunk waits for the next write").isEqualTo(CHUNK);
            w.write(new byte[1]);
            assertThat(w.chunkRoom()).isEqualTo(CHUNK - 1);
        }
    }

    /** A tar-like stream: a header, a file aligned to the chunks by chunkRoom, then trailing records. */
    @Test
    void alignedDirectWritesGiveTheSameCiphertext() throws IOException {
        byte[] key = new byte[32];
        rnd.nextBytes(key);
        for (int header : new int[] {0, 1, 512, 1536, CHUNK - 1}) {
            for (int file : new int[] {1, CHUNK - header, CHUNK, 3 * CHUNK, 8 * CHUNK + 7}) {
                byte[] plain = new byte[header + file + 1024];
                rnd.nextBytes(plain);
                ByteArrayOutputStream sink = new ByteArrayOutputStream();
                try (Payload.Writer w = new Payload.Writer(Channels.newChannel(sink), new Payload.JdkChunkCipher(key))) {
                    w.write(plain, 0, header);
                    int pos = header;
                    int piece = Math.min(w.chunkRoom(), file);
                    while (pos < header + file) {
                        w.writeNotLast(direct(plain, pos, piece));
                        pos += piece;
                        piece = Math.min(2 * CHUNK, header + file - pos);
                    }
                    w.write(plain, pos, plain.length - pos);
                }
                assertThat(sink.toByteArray()).as("header %d, file %d", header, file).isEqualTo(oneWrite(key, plain));
            }
        }
    }

    /** Without the promise, a direct buffer's last whole chunk may be the final one: still right. */
    @Test
    void directWritesWithoutThePromiseGiveTheSameCiphertext() throws IOException {
        byte[] key = new byte[32];
        rnd.nextBytes(key);
        for (int n : new int[] {CHUNK, 2 * CHUNK, 2 * CHUNK + 1}) {
            byte[] plain = new byte[n];
            rnd.nextBytes(plain);
            ByteArrayOutputStream sink = new ByteArrayOutputStream();
            try (Payload.Writer w = new Payload.Writer(Channels.newChannel(sink), new Payload.JdkChunkCipher(key))) {
                w.write(direct(plain, 0, n));
            }
            assertThat(sink.toByteArray()).as("%d bytes", n).isEqualTo(oneWrite(key, plain));
        }
    }
}
