package dev.kharden.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Links inside a system image resolve inside the image, never to the files of the machine kharden runs on. */
class RootedTest {
    @TempDir
    Path root;

    @Test
    void absoluteAndDotDotLinksStayInsideTheRoot() throws Exception {
        Files.createDirectories(root.resolve("proc"));
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/shadow"), "the image's own");
        Files.createSymbolicLink(root.resolve("proc/cmdline"), Path.of("/etc/shadow"));
        Files.createSymbolicLink(root.resolve("proc/version"), Path.of("../../../../../../etc/shadow"));
        Path viaAbsolute = Rooted.resolve(root, "/proc/cmdline");
        assertThat(viaAbsolute).isEqualTo(root.resolve("etc/shadow"));
        assertThat(Rooted.resolve(root, "/proc/version")).isEqualTo(root.resolve("etc/shadow"));
        assertThat(Files.readString(viaAbsolute)).isEqualTo("the image's own");
        // a path whose link target is missing in the image is missing, not the host's file
        Files.createSymbolicLink(root.resolve("proc/modules"), Path.of("/etc/hostname"));
        assertThat(Files.exists(Rooted.resolve(root, "/proc/modules"))).isFalse();
    }

    @Test
    void relativeLinksAndFoldersResolveAsOnTheSystem() throws Exception {
        Files.createDirectories(root.resolve("usr/lib/modules/6.1"));
        Files.writeString(root.resolve("usr/lib/modules/6.1/config"), "CONFIG_X=y\n");
        Files.createSymbolicLink(root.resolve("lib"), Path.of("usr/lib"));
        assertThat(Rooted.resolve(root, "/lib/modules/6.1/config")).isEqualTo(root.resolve("usr/lib/modules/6.1/config"));
        Files.createSymbolicLink(root.resolve("loop"), Path.of("loop"));
        assertThat(Files.exists(Rooted.resolve(root, "/loop"))).isFalse();
    }

    @Test
    void theSystemRootIsTakenAsItIs() {
        assertThat(Rooted.resolve(Path.of("/"), "/proc/cmdline")).isEqualTo(Path.of("/proc/cmdline"));
    }
}
