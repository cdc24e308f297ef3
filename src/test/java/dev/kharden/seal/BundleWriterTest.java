package dev.kharden.seal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kharden.age.Age;
import dev.kharden.age.X25519Identity;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A streamed file goes around commons-compress's tar stream (its header records come from
 * commons-compress, its bytes straight from the read buffers): the tar must be byte for byte the one
 * that commons-compress writes for the same entry held in memory, at every record and chunk boundary.
 */
class BundleWriterTest {
    private static final X25519Identity KEY = X25519Identity.generate();
    private static final int C = 64 * 1024;
    private static final Instant NOW = Instant.parse("2026-11-28T16:51:23Z");

    @TempDir
    Path tmp;

    /** The plaintext tar of a bundle whose entries are {@code files}, each added by {@code streamed ? addFile : add}. */
    private byte[] tar(List<Path> files, List<String> names, boolean streamed) throws IOException {
        ByteArrayOutputStream sealed = new ByteArrayOutputStream();
        BundleWriter w = new BundleWriter(Age.encrypt(sealed, List.of(KEY.recipient())), NOW);
        w.collector("extra");
        for (int i = 0; i < files.size(); i++) {
            if (streamed) {
                w.addFile(names.get(i), files.get(i), "source " + i);
            } else {
                w.add(names.get(i), Files.readAllBytes(files.get(i)), "source " + i);
            }
        }
        w.finish("kharden test", null);
        try (InputStream in = Age.decrypt(new ByteArrayInputStream(sealed.toByteArray()), List.of(KEY))) {
            return in.readAllBytes();
        }
    }

    @Test
    void aStreamedFileIsFramedExactlyAsAnEntryHeldInMemory() throws IOException {
        Random rnd = new Random(11);
        int[] sizes = {1, 511, 512, 513, C - 1, C, C + 1, 2 * C - 512, ReadAhead.BUFFER, ReadAhead.BUFFER + 1,
            3 * ReadAhead.BUFFER + C + 7};
        List<Path> files = new java.util.ArrayList<>();
        List<String> names = new java.util.ArrayList<>();
        for (int size : sizes) {
            byte[] b = new byte[size];
            rnd.nextBytes(b);
            files.add(Files.write(tmp.resolve("f" + size), b));
            names.add("extra/f" + size);
        }
        files.add(Files.write(tmp.resolve("long"), new byte[] {1, 2, 3}));
        names.add("extra/" + "a-name-longer-than-the-hundred-bytes-of-a-ustar-header-".repeat(3) + "end"); // a PAX header first
        byte[] streamed = tar(files, names, true);
        assertThat(streamed).isEqualTo(tar(files, names, false));
        assertThat(streamed.length % 512).isZero();

        // Each file alone too: its entry then starts at another offset within a payload chunk.
        for (int i = 0; i < files.size(); i++) {
            List<Path> one = List.of(files.get(i));
            List<String> name = List.of(names.get(i));
            assertThat(tar(one, name, true)).as(names.get(i)).isEqualTo(tar(one, name, false));
        }
    }
}
