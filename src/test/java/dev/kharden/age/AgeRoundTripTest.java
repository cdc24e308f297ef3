package dev.kharden.age;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Encrypt-then-decrypt through the public API, and the failure kinds a sealed file can meet. */
class AgeRoundTripTest {
    private static final X25519Identity ALICE = X25519Identity.generate();
    private static final X25519Identity BOB = X25519Identity.generate();

    static byte[] encrypt(byte[] plain, List<? extends Recipient> to) throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (OutputStream out = Age.encrypt(sink, to)) {
            // uneven writes exercise the chunk buffering
            int off = 0;
            int step = 1;
            while (off < plain.length) {
                int n = Math.min(step, plain.length - off);
                out.write(plain, off, n);
                off += n;
                step = step * 3 + 1;
            }
        }
        return sink.toByteArray();
    }

    static byte[] decrypt(byte[] file, List<? extends Identity> ids) throws IOException {
        try (InputStream in = Age.decrypt(new ByteArrayInputStream(file), ids)) {
            return in.readAllBytes();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 65535, 65536, 65537, 131072, 200_000})
    void roundTripsAtChunkBoundaries(int size) throws IOException {
        byte[] plain = new byte[size];
        new Random(size).nextBytes(plain);
        byte[] file = encrypt(plain, List.of(ALICE.recipient()));
        int chunks = Math.max(1, (size + 65535) / 65536);
        assertThat(file.length).isGreaterThan(size + chunks * 16 + 16);
        assertThat(decrypt(file, List.of(ALICE))).isEqualTo(plain);
    }

    /**
     * Through a file's channel (the payload read natively, many chunks per read, after what the
     * header reader took beyond the header) a file opens as through a stream, and a byte appended,
     * one cut off or a whole chunk cut off is refused the same way.
     */
    @Test
    void aFileChannelOpensWhatAStreamOpensAndRefusesTheSame(@TempDir Path dir) throws IOException {
        int c = Payload.CHUNK;
        int buffer = Payload.Reader.IN_CHUNKS * c;
        for (int size : new int[] {0, 1, 8000, c, buffer, buffer + 1, 2 * buffer - 5, 2 * buffer + 3 * c}) {
            byte[] plain = new byte[size];
            new Random(size).nextBytes(plain);
            byte[] file = encrypt(plain, List.of(ALICE.recipient()));
            assertThat(decryptFile(Files.write(dir.resolve("f"), file))).as("size %d", size).isEqualTo(plain);
            byte[] longer = java.util.Arrays.copyOf(file, file.length + 1);
            // After a full final chunk the byte is trailing data; else it is part of the final chunk.
            assertThatThrownBy(() -> decryptFile(Files.write(dir.resolve("f"), longer))).as("size %d", size)
                    .isInstanceOf(AgeException.class).hasMessageContaining(size > 0 && size % c == 0
                            ? "trailing data" : "does not authenticate");
            byte[] shorter = java.util.Arrays.copyOf(file, file.length - 1);
            assertThatThrownBy(() -> decryptFile(Files.write(dir.resolve("f"), shorter))).as("size %d", size)
                    .isInstanceOf(AgeException.class);
            if (size > c) {
                byte[] chunkLess = java.util.Arrays.copyOf(file, file.length - (size % c == 0 ? c : size % c) - 16);
                assertThatThrownBy(() -> decryptFile(Files.write(dir.resolve("f"), chunkLess))).as("size %d", size)
                        .isInstanceOf(AgeException.class).hasMessageContaining("truncated");
                assertThatThrownBy(() -> decrypt(chunkLess, List.of(ALICE))).isInstanceOf(AgeException.class)
                        .hasMessageContaining("truncated");
            }
        }
    }

    private static byte[] decryptFile(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file); InputStream in = Age.decrypt(ch, List.of(ALICE))) {
            return in.readAllBytes();
        }
    }

    @Test
    void everyRecipientCanOpenAndOthersCannot() throws IOException {
        byte[] plain = "kallsyms".getBytes();
        byte[] file = encrypt(plain, List.of(ALICE.recipient(), BOB.recipient()));
        assertThat(decrypt(file, List.of(BOB))).isEqualTo(plain);
        assertThat(decrypt(file, List.of(X25519Identity.generate(), ALICE))).isEqualTo(plain);
        assertThatThrownBy(() -> decrypt(file, List.of(X25519Identity.generate())))
                .isInstanceOfSatisfying(AgeException.class, e -> assertThat(e.kind()).isEqualTo(AgeException.Kind.NO_MATCH));
    }

    @Test
    void alteredPayloadIsAPayloadFailure() throws IOException {
        byte[] plain = new byte[100_000];
        byte[] file = encrypt(plain, List.of(ALICE.recipient()));
        file[file.length - 10] ^= 1;
        assertThatThrownBy(() -> decrypt(file, List.of(ALICE)))
                .isInstanceOfSatisfying(AgeException.class, e -> assertThat(e.kind()).isEqualTo(AgeException.Kind.PAYLOAD));
    }

    @Test
    void truncationAtAChunkBoundaryIsAPayloadFailure() throws IOException {
        byte[] plain = new byte[3 * 65536 + 5];
        byte[] file = encrypt(plain, List.of(ALICE.recipient()));
        byte[] cut = java.util.Arrays.copyOf(file, file.length - 5 - 16); // drop the whole final chunk
        assertThatThrownBy(() -> decrypt(cut, List.of(ALICE)))
                .isInstanceOfSatisfying(AgeException.class, e -> assertThat(e.kind()).isEqualTo(AgeException.Kind.PAYLOAD));
    }

    @Test
    void alteredHeaderArgumentFailsTheMac() throws IOException {
        byte[] file = encrypt(new byte[10], List.of(ALICE.recipient(), BOB.recipient()));
        String text = new String(file, java.nio.charset.StandardCharsets.ISO_8859_1);
        // Swap Bob's stanza type for an unknown one: still parses, Alice still unwraps, MAC breaks.
        int second = text.indexOf("-> X25519", text.indexOf("-> X25519") + 1);
        file[second + 3] = 'Y';
        assertThatThrownBy(() -> decrypt(file, List.of(ALICE)))
                .isInstanceOfSatisfying(AgeException.class, e -> assertThat(e.kind()).isEqualTo(AgeException.Kind.HMAC));
    }

    @Test
    void keysRoundTripThroughTheirTextForms() {
        X25519Identity parsed = X25519Identity.parse(ALICE.encode());
        assertThat(parsed).isNotNull();
        assertThat(parsed.recipient()).isEqualTo(ALICE.recipient());
        assertThat(X25519Recipient.parse(ALICE.recipient().toString())).isEqualTo(ALICE.recipient());
        assertThat(ALICE.encode()).startsWith("AGE-SECRET-KEY-1");
        assertThat(ALICE.recipient().toString()).startsWith("age1").hasSize(62);
        // one flipped character breaks the Bech32 checksum
        String r = ALICE.recipient().toString();
        String bad = r.substring(0, 10) + (r.charAt(10) == 'q' ? 'p' : 'q') + r.substring(11);
        assertThat(X25519Recipient.parse(bad)).isNull();
    }

    @Test
    void specExampleKeysMatch() {
        // The identity/recipient pair printed in the age specification.
        X25519Identity id = X25519Identity.parse("AGE-SECRET-KEY-1GFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPYYSJZGFPQ4EGAEX");
        assertThat(id.recipient().toString()).isEqualTo("age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj");
    }
}
