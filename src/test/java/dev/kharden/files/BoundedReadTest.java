package dev.kharden.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bounded reads: what a device or pipe holds is bounded as a regular file's size is. */
class BoundedReadTest {
    @TempDir
    Path dir;

    @Test
    void aDeviceThatNeverEndsIsTooLargeNotAnOutOfMemoryError() {
        assertThatThrownBy(() -> BoundedRead.readAllBytes(Path.of("/dev/zero"), 1 << 20))
                .isInstanceOf(BoundedRead.TooLarge.class).hasMessageContaining("/dev/zero is larger than 1.0 MiB");
    }

    @Test
    void regularFilesUpToTheBound() throws Exception {
        Path f = Files.write(dir.resolve("f"), new byte[1000]);
        assertThat(BoundedRead.readAllBytes(f, 1000)).hasSize(1000);
        assertThatThrownBy(() -> BoundedRead.readAllBytes(f, 999)).isInstanceOf(BoundedRead.TooLarge.class);
        assertThat(BoundedRead.readAllBytes(Files.write(dir.resolve("empty"), new byte[0]), 0)).isEmpty();
    }

    @Test
    void linesAsFilesReadAllLinesReadsThem() throws Exception {
        Path f = Files.writeString(dir.resolve("lines"), "a\nb\r\nc\rd\n\ne");
        assertThat(BoundedRead.readAllLines(f, 100, StandardCharsets.UTF_8)).isEqualTo(Files.readAllLines(f));
        Path bad = Files.write(dir.resolve("bad"), new byte[] {'k', (byte) 0xff, '\n'});
        assertThatThrownBy(() -> BoundedRead.readAllLines(bad, 100, StandardCharsets.UTF_8)).isInstanceOf(MalformedInputException.class);
        assertThatThrownBy(() -> Files.readAllLines(bad)).isInstanceOf(MalformedInputException.class);
        assertThat(BoundedRead.readAllLines(bad, 100, StandardCharsets.ISO_8859_1)).containsExactly("k\u00ff");
    }
}
