package dev.kharden.seal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The read-ahead thread hands out a file's bytes in order and hashes exactly what it handed out. */
class ReadAheadTest {
    @TempDir
    Path dir;

    /** libcrypto's SHA-256 (on the native buffers where they lie) when it is there, and the JDK's. */
    @Test
    void handsOutTheWholeFileInOrderWithItsHash() throws Exception {
        handsOutTheWholeFileInOrderWithItsHash(BundleWriter.sha256());
        handsOutTheWholeFileInOrderWithItsHash(MessageDigest.getInstance("SHA-256"));
    }

    private void handsOutTheWholeFileInOrderWithItsHash(MessageDigest sha) throws Exception {
        Random rnd = new Random(7);
        for (int size : new int[] {0, 1, ReadAhead.BUFFER, ReadAhead.BUFFER + 1,
                (ReadAhead.BUFFERS + 2) * ReadAhead.BUFFER + 12345}) {
            byte[] data = new byte[size];
            rnd.nextBytes(data);
            Path f = Files.write(dir.resolve("f" + size), data);
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] digest;
            try (ReadAhead in = new ReadAhead(f, size, sha)) {
                for (ByteBuffer b = in.next(); b != null; b = in.next()) {
                    assertThat(b.isDirect()).isTrue();
                    byte[] part = new byte[b.remaining()];
                    b.get(part);
                    got.write(part);
                    Thread.sleep(rnd.nextInt(2)); // the reader runs ahead meanwhile
                }
                digest = in.digest();
            }
            assertThat(got.toByteArray()).as("size %d", size).isEqualTo(data);
            assertThat(digest).isEqualTo(MessageDigest.getInstance("SHA-256").digest(data));
        }
    }

    @Test
    void readsOnlyTheSizeTheTarHeaderAnnounced() throws Exception {
        Path f = Files.write(dir.resolve("grown"), new byte[] {1, 2, 3, 4, 5});
        try (ReadAhead in = new ReadAhead(f, 3)) {
            ByteBuffer b = in.next();
            assertThat(b.remaining()).isEqualTo(3);
            assertThat(b.get(b.position())).isEqualTo((byte) 1);
            assertThat(in.next()).isNull();
            assertThat(in.digest()).isEqualTo(MessageDigest.getInstance("SHA-256").digest(new byte[] {1, 2, 3}));
        }
    }

    @Test
    void aFileThatEndsEarlyIsAnErrorNotAShortEntry() throws Exception {
        Path f = Files.write(dir.resolve("shrunk"), new byte[10]);
        try (ReadAhead in = new ReadAhead(f, 10L * ReadAhead.BUFFER)) {
            assertThatThrownBy(() -> {
                for (ByteBuffer b = in.next(); b != null; b = in.next()) {
                    assertThat(b.remaining()).isEqualTo(10);
                }
            }).isInstanceOf(IOException.class).hasMessageContaining("shrank");
            assertThatThrownBy(in::digest).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void closingEarlyStopsTheReader() throws Exception {
        Path f = Files.write(dir.resolve("big"), new byte[(ReadAhead.BUFFERS + 4) * ReadAhead.BUFFER]);
        Thread reader;
        try (ReadAhead in = new ReadAhead(f, Files.size(f))) {
            in.next();
            reader = Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("kharden-read"))
                    .findFirst().orElseThrow();
        }
        reader.join(10_000);
        assertThat(reader.isAlive()).isFalse();
    }
}
