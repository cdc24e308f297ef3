package dev.kharden.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Temporary files are new, empty, 0600 and named apart; a missing folder fails as the JDK's do. */
class PrivateTempTest {
    @TempDir
    Path dir;

    @Test
    void newEmptyOwnerOnlyFilesUnderDistinctNames() throws Exception {
        Set<Path> made = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            Path p = PrivateTemp.create(dir, ".bundle.age.", ".partial");
            assertThat(made.add(p)).isTrue();
            assertThat(p.getParent()).isEqualTo(dir);
            assertThat(p.getFileName().toString()).matches("\\.bundle\\.age\\.[0-9a-f]{16}\\.partial");
            assertThat(Files.size(p)).isZero();
            assertThat(Files.getPosixFilePermissions(p)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        }
    }

    /** A name of up to 255 bytes keeps room for its temporary: long names get a short prefix instead. */
    @Test
    void longNamesStillHaveATemporaryName() throws Exception {
        assertThat(PrivateTemp.prefixFor(dir.resolve("crash.age"))).isEqualTo(".crash.age.");
        Path longName = dir.resolve("b".repeat(250) + ".age");
        assertThat(PrivateTemp.prefixFor(longName)).isEqualTo(".kharden.");
        Path p = PrivateTemp.create(dir, PrivateTemp.prefixFor(longName), ".partial");
        assertThat(p.getFileName().toString()).matches("\\.kharden\\.[0-9a-f]{16}\\.partial");
        AtomicFile.write(longName, "report".getBytes());
        assertThat(Files.readString(longName)).isEqualTo("report");
    }

    @Test
    void aMissingFolderFails() {
        assertThatThrownBy(() -> PrivateTemp.create(dir.resolve("missing"), "x", ".partial"))
                .isInstanceOf(NoSuchFileException.class);
    }
}
