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

    @Test
    void aMissingFolderFails() {
        assertThatThrownBy(() -> PrivateTemp.create(dir.resolve("missing"), "x", ".partial"))
                .isInstanceOf(NoSuchFileException.class);
    }
}
