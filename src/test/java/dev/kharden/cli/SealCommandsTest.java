package dev.kharden.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kharden.seal.Manifest;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** keygen, seal and unseal as a user runs them: outputs, exit codes, and nothing written on failure. */
class SealCommandsTest {
    @TempDir
    Path tmp;

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(args, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    private Path fakeRoot() throws IOException {
        Path root = tmp.resolve("root");
        Files.createDirectories(root.resolve("proc/sys/kernel"));
        Files.writeString(root.resolve("proc/kallsyms"), "0000000000000000 T _text\n0000000000000000 T start_kernel\n");
        Files.writeString(root.resolve("proc/sys/kernel/kptr_restrict"), "2\n");
        Files.writeString(root.resolve("proc/sys/kernel/osrelease"), "6.1.0-test\n");
        Files.writeString(root.resolve("proc/version"), "Linux version 6.1.0-test\n");
        return root;
    }

    /**
     * An unseal stopped by SIGTERM (a CI timeout, kill) while it reads a bundle from a pipe leaves
     * no folder of unauthenticated plaintext: the JVM runs shutdown hooks, not finally blocks.
     */
    /** Inputs that never end (a device, a pipe) are bounded as files are: a clear error, not an OutOfMemoryError. */
    @Test
    void endlessInputsAreTooLargeNotAnOutOfMemoryError() throws Exception {
        String recipient = run("keygen", "-o", tmp.resolve("k").toString()).out().strip();
        for (String[] args : new String[][] {
                {"keygen", "-y", "/dev/zero"},
                {"unseal", "-i", "/dev/zero", "--list", tmp.resolve("b.age").toString()},
                {"seal", "--root", tmp.toString(), "-R", "/dev/zero", "-o", tmp.resolve("x.age").toString()},
                {"seal", "--root", tmp.toString(), "--to", recipient, "--sign-key", "/dev/zero", "-o", tmp.resolve("x.age").toString()}}) {
            Run r = run(args);
            assertThat(r.code()).as(String.join(" ", args) + "\n" + r.err()).isEqualTo(ExitCodes.USAGE);
            assertThat(r.err()).as(String.join(" ", args)).startsWith("kharden: /dev/zero: larger than 1 MiB; not a ");
        }
        assertThat(Files.exists(tmp.resolve("x.age"))).isFalse();
    }

    /** Names near the 255-byte limit: the temporary names beside them must still fit. */
    @Test
    void longNamesSealAndUnseal() throws Exception {
        String stem = "n".repeat(240);
        String recipient = run("keygen", "-o", tmp.resolve(stem + ".key").toString()).out().strip();
        assertThat(recipient).startsWith("age1");
        Path bundle = tmp.resolve(stem + ".age");
        Run seal = run("seal", "--root", fakeRoot().toString(), "--to", recipient, "-o", bundle.toString());
        assertThat(seal.code()).as(seal.err()).isZero();
        Run unseal = run("unseal", "-i", tmp.resolve(stem + ".key").toString(), bundle.toString(), "-o", tmp.resolve(stem).toString());
        assertThat(unseal.code()).as(unseal.err()).isZero();
        assertThat(Files.exists(tmp.resolve(stem).resolve("MANIFEST.json"))).isTrue();
    }

    @Test
    void anUnsealStoppedMidwayLeavesNothingBehind() throws Exception {
        Path key = tmp.resolve("support.key");
        String recipient = run("keygen", "-o", key.toString()).out().strip();
        Path big = Files.write(tmp.resolve("big.bin"), new byte[4 << 20]);
        Path bundle = tmp.resolve("b.age");
        assertThat(run("seal", "--root", fakeRoot().toString(), "--to", recipient, "-o", bundle.toString(), big.toString())
                .code()).isZero();
        Path fifo = tmp.resolve("pipe.age");
        org.junit.jupiter.api.Assumptions.assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0,
                "mkfifo is not available");
        Path out = Files.createDirectory(tmp.resolve("outdir")).resolve("crash");
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(javaBin, "--enable-native-access=ALL-UNNAMED",
                "-Dkharden.native.dir=" + System.getProperty("kharden.native.dir", ""),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "unseal", "-i", key.toString(), fifo.toString(), "-o", out.toString())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try (java.io.OutputStream w = Files.newOutputStream(fifo)) {
            byte[] all = Files.readAllBytes(bundle);
            w.write(all, 0, all.length / 2); // half the bundle; the pipe stays open, so unseal waits for more
            w.flush();
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(60);
            while (listing(out.getParent()).isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(listing(out.getParent())).as("unseal's temporary folder").hasSize(1);
            Thread.sleep(300); // let it unpack what it has
            p.destroy(); // SIGTERM
            assertThat(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        } catch (IOException e) {
            // the reader went away: what matters is what it left
        } finally {
            p.destroyForcibly();
        }
        assertThat(listing(out.getParent())).isEmpty();
    }

    @Test
    void aKernelLogFromAPipeIsRead() throws Exception {
        Path key = tmp.resolve("k.key");
        String recipient = run("keygen", "-o", key.toString()).out().strip();
        Path fifo = tmp.resolve("dmesg.pipe");
        org.junit.jupiter.api.Assumptions.assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0,
                "mkfifo is not available");
        var writer = java.util.concurrent.CompletableFuture.runAsync(() -> {
            try {
                Files.writeString(fifo, "[    1.000000] ------------[ cut here ]------------\n"
                        + "[    1.000001] WARNING: CPU: 0 PID: 1 at kernel/x.c:1 f+0x1/0x2\n"
                        + "[    1.000002] ---[ end trace 0000000000000000 ]---\n");
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        Run r = run("seal", "--root", fakeRoot().toString(), "--to", recipient, "-o", tmp.resolve("k.age").toString(),
                "--kernel-log", fifo.toString());
        writer.get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("kernelLog.reports    1");
    }

    private static java.util.List<String> listing(Path dir) throws IOException {
        try (var s = Files.list(dir)) {
            return s.map(x -> x.getFileName().toString()).toList();
        }
    }

    @Test
    void keygenSealListUnseal() throws IOException {
        Path key = tmp.resolve("support.key");
        Run kg = run("keygen", "-o", key.toString());
        assertThat(kg.code()).isZero();
        String recipient = kg.out().strip();
        assertThat(recipient).startsWith("age1");
        assertThat(Files.getPosixFilePermissions(key)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(run("keygen", "-y", key.toString()).out().strip()).isEqualTo(recipient);
        assertThat(run("keygen", "-o", key.toString()).code()).isEqualTo(ExitCodes.USAGE); // never overwrite a key

        Path signKey = tmp.resolve("machine.pem");
        Run sk = run("keygen", "--signing", "-o", signKey.toString());
        assertThat(sk.code()).isZero();
        String fingerprint = sk.out().lines().filter(l -> l.startsWith("Fingerprint: ")).findFirst().orElseThrow().substring(13);

        Path bundle = tmp.resolve("crash.age");
        Run seal = run("seal", "--root", fakeRoot().toString(), "--to", recipient, "--sign-key", signKey.toString(),
                "-o", bundle.toString());
        assertThat(seal.code()).as(seal.err()).isZero();
        assertThat(seal.out()).contains("manifest signed").containsPattern("kallsyms\\.values +zeros").contains("kptr_restrict=2");

        Run list = run("unseal", "-i", key.toString(), "--list", "--format", "json", bundle.toString());
        assertThat(list.code()).as(list.err()).isZero();
        assertThat(list.out()).contains("\"schema\" : \"" + UnsealCommand.SCHEMA + "\"", "\"signature\" : \"valid\"",
                "\"schema\" : \"" + Manifest.SCHEMA + "\"", "proc/kallsyms");
        assertThat(run("unseal", "-i", key.toString(), "--list", "--signer", "SHA256:nope", bundle.toString()).code())
                .isEqualTo(ExitCodes.USAGE);

        Path dir = tmp.resolve("out");
        Run un = run("unseal", "-i", key.toString(), "--signer", fingerprint, bundle.toString(), "-o", dir.toString());
        assertThat(un.code()).as(un.err()).isZero();
        assertThat(un.out()).contains("signature: valid").contains("(matches --signer)");
        assertThat(dir.resolve("proc/kallsyms")).exists();
    }

    @Test
    void wrongKeyIsOneLineAndWritesNothing() throws IOException {
        Path key = tmp.resolve("a.key");
        Path other = tmp.resolve("b.key");
        String recipient = run("keygen", "-o", key.toString()).out().strip();
        run("keygen", "-o", other.toString());
        Path bundle = tmp.resolve("b.age");
        assertThat(run("seal", "--root", fakeRoot().toString(), "--to", recipient, "-o", bundle.toString()).code()).isZero();
        Run un = run("unseal", "-i", other.toString(), bundle.toString(), "-o", tmp.resolve("out").toString());
        assertThat(un.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(un.err()).contains("no identity matches").hasLineCount(1);
        assertThat(tmp.resolve("out")).doesNotExist();
    }

    /**
     * File names and manifest text reach the terminal escaped: an extra file whose name holds a
     * backslash and an escape sequence is sealed under a name unseal accepts, a note says so, and
     * neither seal nor unseal --list prints a raw control character.
     */
    @Test
    void namesAndNotesReachTheTerminalEscaped() throws IOException {
        Path key = tmp.resolve("k.key");
        String recipient = run("keygen", "-o", key.toString()).out().strip();
        Path odd = Files.writeString(tmp.resolve("a\\b\u001b[31mred"), "odd name\n");
        Path bundle = tmp.resolve("odd.age");
        Run seal = run("seal", "--root", fakeRoot().toString(), "--to", recipient, "-o", bundle.toString(), odd.toString());
        assertThat(seal.code()).as(seal.err()).isZero();
        assertThat(seal.out()).doesNotContain("\u001b").contains("is sealed as extra/a_b_[31mred").contains("\\x1b[31mred");
        Run list = run("unseal", "-i", key.toString(), "--list", bundle.toString());
        assertThat(list.code()).as(list.err()).isZero();
        assertThat(list.out()).doesNotContain("\u001b").contains("extra/a_b_[31mred");
        Path dir = tmp.resolve("odd");
        assertThat(run("unseal", "-i", key.toString(), bundle.toString(), "-o", dir.toString()).code()).isZero();
        assertThat(Files.readString(dir.resolve("extra/a_b_[31mred"))).isEqualTo("odd name\n");
    }

    @Test
    void aSigningKeyThatIsNoTextIsRefusedClearly() throws IOException {
        Path key = tmp.resolve("k.key");
        String recipient = run("keygen", "-o", key.toString()).out().strip();
        Path binary = Files.write(tmp.resolve("binary.pem"), new byte[] {0, 1, (byte) 0xff, (byte) 0xfe, (byte) 0xc3});
        Run r = run("seal", "--root", fakeRoot().toString(), "--to", recipient, "--sign-key", binary.toString(),
                "-o", tmp.resolve("x.age").toString());
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("not a PKCS#8 PEM Ed25519 private key").doesNotContain("internal error");
        assertThat(tmp.resolve("x.age")).doesNotExist();
    }

    @Test
    void sealWithoutRecipientIsAUsageError() {
        Run r = run("seal", "-o", tmp.resolve("x.age").toString());
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("no recipient");
        assertThat(tmp.resolve("x.age")).doesNotExist();
    }

    @Test
    void anOutputThatCannotBeCreatedNamesItsFolderNotATemporaryFile() throws IOException {
        Path missing = tmp.resolve("missing");
        Run kg = run("keygen", "-o", missing.resolve("k.txt").toString());
        assertThat(kg.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(kg.err()).contains("k.txt: cannot create it: folder " + missing + " does not exist")
                .doesNotContain(".partial").hasLineCount(1);

        Path key = tmp.resolve("support.key");
        String recipient = run("keygen", "-o", key.toString()).out().strip();
        Run seal = run("seal", "--root", fakeRoot().toString(), "--to", recipient,
                "-o", missing.resolve("x.age").toString());
        assertThat(seal.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(seal.err()).contains("x.age: cannot create it: folder " + missing + " does not exist")
                .doesNotContain(".partial");
        assertThat(missing).doesNotExist();
    }
}
