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
    void aNewFileGetsTheUmasksModeAndNoTemporaryStays() throws IOException {
        Path out = tmp.resolve("report.sarif");
        AtomicFile.write(out, "new\n".getBytes());
        assertThat(Files.readString(out)).isEqualTo("new\n");
        assertThat(Files.getPosixFilePermissions(out)).isEqualTo(AtomicFile.newFileMode());
        assertThat(filesIn(tmp)).isEqualTo(1);
    }

    /** Runs {@code script} under bash in the test folder, where CHECK is kharden's check of a small config, in a JVM of its own. */
    private void bash(String script) throws Exception {
        Path config = Files.writeString(tmp.resolve("a.config"), "CONFIG_X86_64=y\n");
        String check = "'" + Path.of(System.getProperty("java.home"), "bin", "java") + "' -cp '"
                + System.getProperty("java.class.path") + "' dev.kharden.cli.Main check --config '" + config + "'";
        Process p = new ProcessBuilder("bash", "-c", script.replace("CHECK", check)).directory(tmp.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    }

    /** As open(2) makes files: rw-rw-rw- less the umask, so a private umask keeps reports private. */
    @Test
    void aNewFileFollowsTheUmask() throws Exception {
        bash("umask 077; CHECK -o private.txt");
        assertThat(Files.getPosixFilePermissions(tmp.resolve("private.txt"))).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        bash("umask 002; CHECK -o group.txt");
        assertThat(Files.getPosixFilePermissions(tmp.resolve("group.txt"))).isEqualTo(PosixFilePermissions.fromString("rw-rw-r--"));
    }

    /**
     * /dev/stdout names the descriptor the shell opened: on a file, what is there stays, and what the
     * shell writes after comes after the report (the file is neither replaced nor written anew).
     */
    @Test
    void devStdoutIsWrittenThroughTheProcesssOwnDescriptor() throws Exception {
        bash("echo PREV > log; CHECK -o /dev/stdout >> log; { echo HEADER; CHECK -o /dev/stdout; echo FOOTER; } > block");
        assertThat(AtomicFile.isOpenDescriptor(Path.of("/dev/fd/3"))).isTrue();
        assertThat(AtomicFile.isOpenDescriptor(Path.of("/proc/self/fd/1"))).isTrue();
        assertThat(AtomicFile.isOpenDescriptor(Path.of("/dev/null"))).isFalse();
        assertThat(Files.readString(tmp.resolve("log"))).startsWith("PREV\nkharden check: ");
        String block = Files.readString(tmp.resolve("block"));
        assertThat(block).startsWith("HEADER\nkharden check: ").endsWith("\nFOOTER\n");
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
    void aReplacedFileKeepsItsOwnerWhenRootReplacesIt() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "not root: only root can give a file to another user");
        Path out = Files.writeString(tmp.resolve("users.ko"), "old");
        var nobody = tmp.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
        Files.setOwner(out, nobody);
        AtomicFile.write(out, "signed".getBytes());
        assertThat(Files.getOwner(out)).isEqualTo(nobody);
        assertThat(Files.readString(out)).isEqualTo("signed");
    }

    @Test
    void aSymbolicLinkStaysAndTheFileItNamesIsReplaced() throws IOException {
        Path real = Files.writeString(Files.createDirectory(tmp.resolve("real")).resolve("mod.ko"), "old");
        Path link = Files.createSymbolicLink(tmp.resolve("link.ko"), Path.of("real/mod.ko"));
        Path chain = Files.createSymbolicLink(tmp.resolve("chain.ko"), link);
        AtomicFile.write(chain, "signed".getBytes());
        assertThat(Files.isSymbolicLink(link)).isTrue();
        assertThat(Files.isSymbolicLink(chain)).isTrue();
        assertThat(Files.readString(real)).isEqualTo("signed");
        // a dangling link: the file it names is created
        Path dangling = Files.createSymbolicLink(tmp.resolve("out.json"), Path.of("real/report.json"));
        AtomicFile.write(dangling, "{}".getBytes());
        assertThat(Files.isSymbolicLink(dangling)).isTrue();
        assertThat(Files.readString(tmp.resolve("real/report.json"))).isEqualTo("{}");
    }

    @Test
    void aDeviceOrAPipeIsWrittenNotReplaced() throws Exception {
        // through a link, so that a regression replaces the link here, never /dev/null itself
        Path toNull = Files.createSymbolicLink(tmp.resolve("null"), Path.of("/dev/null"));
        AtomicFile.write(toNull, "gone".getBytes());
        assertThat(Files.isSymbolicLink(toNull)).isTrue();
        assertThat(Files.isRegularFile(Path.of("/dev/null"))).isFalse();

        Path fifo = tmp.resolve("fifo");
        org.junit.jupiter.api.Assumptions.assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0,
                "mkfifo is not available");
        java.util.concurrent.CompletableFuture<byte[]> read = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try {
                return Files.readAllBytes(fifo);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        AtomicFile.write(fifo, "through the pipe".getBytes());
        assertThat(new String(read.get(30, java.util.concurrent.TimeUnit.SECONDS))).isEqualTo("through the pipe");
        assertThat(Files.isRegularFile(fifo, java.nio.file.LinkOption.NOFOLLOW_LINKS)).isFalse();
        assertThat(Files.exists(fifo)).isTrue();
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
