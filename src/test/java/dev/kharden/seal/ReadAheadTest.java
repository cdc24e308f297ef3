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
            try (ReadAhead in = new ReadAhead(f, size, ReadAhead.BUFFER, sha)) {
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

    /** A short first chunk (the rest of the cipher chunk a tar header began), then chunks of BUFFER bytes. */
    @Test
    void aShortFirstChunkLinesTheRestUp() throws Exception {
        Random rnd = new Random(5);
        int size = 2 * ReadAhead.BUFFER + 100;
        byte[] data = new byte[size];
        rnd.nextBytes(data);
        Path f = Files.write(dir.resolve("aligned"), data);
        for (int first : new int[] {1, 512, 64 * 1024 - 512, ReadAhead.BUFFER}) {
            java.util.List<Integer> lengths = new java.util.ArrayList<>();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            try (ReadAhead in = new ReadAhead(f, size, first, BundleWriter.sha256())) {
                for (ByteBuffer b = in.next(); b != null; b = in.next()) {
                    lengths.add(b.remaining());
                    byte[] part = new byte[b.remaining()];
                    b.get(part);
                    got.write(part);
                }
                assertThat(in.digest()).isEqualTo(MessageDigest.getInstance("SHA-256").digest(data));
            }
            assertThat(got.toByteArray()).isEqualTo(data);
            assertThat(lengths.getFirst()).isEqualTo(first);
            assertThat(lengths.subList(1, lengths.size() - 1)).allMatch(n -> n == ReadAhead.BUFFER);
            assertThat(lengths.stream().mapToInt(Integer::intValue).sum()).isEqualTo(size);
        }
        try (ReadAhead in = new ReadAhead(f, 10, 512, BundleWriter.sha256())) {
            assertThat(in.next().remaining()).as("a file shorter than the first chunk is one chunk").isEqualTo(10);
            assertThat(in.next()).isNull();
        }
        assertThatThrownBy(() -> new ReadAhead(f, size, 0, BundleWriter.sha256())).isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * Whichever side is slower, the other reads the chunks (and reads ahead while the slow side
     * reads the chunk it waits for): the bytes and the hash stay right either way.
     */
    @Test
    void theFasterThreadReadsTheChunks() throws Exception {
        int chunks = 3 * ReadAhead.BUFFERS + 1;
        byte[] data = new byte[chunks * ReadAhead.BUFFER - 100];
        new Random(3).nextBytes(data);
        Path f = Files.write(dir.resolve("f"), data);
        byte[] expected = MessageDigest.getInstance("SHA-256").digest(data);
        // hashing slow: the encrypting thread reads nearly every chunk
        long byHasher = consume(f, data, new SlowDigest(), 0);
        assertThat(byHasher).isLessThan(chunks / 2);
        // encrypting slow: the hashing thread reads nearly every chunk
        byHasher = consume(f, data, MessageDigest.getInstance("SHA-256"), 3);
        assertThat(byHasher).isGreaterThan(chunks / 2);
        assertThat(expected).isEqualTo(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(f)));
    }

    /** Reads {@code f} through a ReadAhead, sleeping {@code sleepMs} per buffer; checks bytes and hash, returns the hasher's reads. */
    private static long consume(Path f, byte[] data, MessageDigest sha, int sleepMs) throws Exception {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        try (ReadAhead in = new ReadAhead(f, data.length, ReadAhead.BUFFER, sha)) {
            for (ByteBuffer b = in.next(); b != null; b = in.next()) {
                byte[] part = new byte[b.remaining()];
                b.get(part);
                got.write(part);
                Thread.sleep(sleepMs);
            }
            assertThat(got.toByteArray()).isEqualTo(data);
            assertThat(in.digest()).isEqualTo(MessageDigest.getInstance("SHA-256").digest(data));
            return in.chunksReadByHasher();
        }
    }

    /** The JDK's SHA-256, 3 ms slower per update. */
    private static final class SlowDigest extends MessageDigest {
        private final MessageDigest sha;

        SlowDigest() throws Exception {
            super("SHA-256");
            sha = MessageDigest.getInstance("SHA-256");
        }

        @Override
        protected void engineUpdate(byte input) {
            sha.update(input);
        }

        @Override
        protected void engineUpdate(byte[] input, int offset, int len) {
            sleep();
            sha.update(input, offset, len);
        }

        @Override
        protected void engineUpdate(ByteBuffer input) {
            sleep();
            sha.update(input);
        }

        private static void sleep() {
            try {
                Thread.sleep(3);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        protected byte[] engineDigest() {
            return sha.digest();
        }

        @Override
        protected void engineReset() {
            sha.reset();
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
