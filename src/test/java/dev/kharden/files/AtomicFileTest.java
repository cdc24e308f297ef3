package dev.kharden.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Whole-or-nothing file replacement for reports, signed modules and certificate files. */
class AtomicFileTest {
    @TempDir
    Path tmp;

    private long filesIn(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }

    @Test
    void aNewFileIsWorldReadableAndNoTemporaryStays() throws IOException {
        Path out = tmp.resolve("report.sarif");
        AtomicFile.write(out, "new\n".getBytes());
        assertThat(Files.readString(out)).isEqualTo("new\n");
        assertThat(Files.getPosixFilePermissions(out)).isEqualTo(PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(filesIn(tmp)).isEqualTo(1);
    }

    @Test
    void aReplacedFileKeepsItsPermissions() throws IOException {
        Path out = Files.writeString(tmp.resolve("ext4.ko"), "old");
        Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("rw-------"));
        AtomicFile.write(out, "signed".getBytes());
        assertThat(Files.readString(out)).isEqualTo("signed");
        assertThat(Files.getPosixFilePermissions(out)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(filesIn(tmp)).isEqualTo(1);
    }

    @Test
    void aWriteThatCannotHappenLeavesTheOldContentAndNoTemporary() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("target-is-a-folder"));
        Files.writeString(dir.resolve("inside"), "kept");
        assertThatThrownBy(() -> AtomicFile.write(dir, "x".getBytes())).isInstanceOf(IOException.class);
        assertThat(Files.readString(dir.resolve("inside"))).isEqualTo("kept");
        assertThat(filesIn(tmp)).isEqualTo(1); // only the folder: the temporary file was removed
        assertThatThrownBy(() -> AtomicFile.write(tmp.resolve("missing/out.txt"), "x".getBytes()))
                .isInstanceOf(IOException.class);
    }
}
