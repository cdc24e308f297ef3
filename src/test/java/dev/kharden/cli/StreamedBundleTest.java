package dev.kharden.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kharden.age.X25519Identity;
import dev.kharden.seal.Unsealer;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code seal -o -} streams the bundle to standard output and says its summary on standard error;
 * {@code unseal -} reads one from standard input; neither reads or writes a binary stream on a
 * terminal. Runs kharden in a JVM of its own, whose standard streams are files and pipes.
 */
class StreamedBundleTest {
    private static final X25519Identity SUPPORT = X25519Identity.generate();

    @TempDir
    Path dir;
    private Path root;
    private Path key;
    private byte[] data;

    @BeforeEach
    void files() throws Exception {
        root = Files.createDirectories(dir.resolve("root"));
        key = Files.writeString(dir.resolve("support.key"), SUPPORT.encode() + "\n");
        data = new byte[3 << 20];
        new Random(9).nextBytes(data);
        Files.write(dir.resolve("vmcore"), data);
    }

    private static List<String> java(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private record Run(int code, String err) {
    }

    private Run run(List<String> cmd, File in, File out) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
        if (in != null) {
            pb.redirectInput(in);
        }
        pb.redirectOutput(out).redirectError(dir.resolve("err").toFile());
        Process p = pb.start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), Files.readString(dir.resolve("err"), StandardCharsets.UTF_8));
    }

    @Test
    void sealToStandardOutputThenUnsealFromStandardInput() throws Exception {
        Path bundle = dir.resolve("streamed.age");
        Run seal = run(java("seal", "--root", root.toString(), "--to", SUPPORT.recipient().toString(), "-o", "-", "vmcore"),
                null, bundle.toFile());
        assertThat(seal.code()).as(seal.err()).isZero();
        assertThat(seal.err()).contains("sealed 2 entries (").contains(") to standard output for 1 recipient");
        assertThat(Files.exists(dir.resolve("-"))).as("no file named -").isFalse();
        Unsealer.unseal(bundle, List.of(SUPPORT), dir.resolve("in-process"));
        assertThat(Files.readAllBytes(dir.resolve("in-process/extra/vmcore"))).isEqualTo(data);

        Run unseal = run(java("unseal", "-i", key.toString(), "-", "-o", "piped"), bundle.toFile(), dir.resolve("out").toFile());
        assertThat(unseal.code()).as(unseal.err()).isZero();
        assertThat(Files.readAllBytes(dir.resolve("piped/extra/vmcore"))).isEqualTo(data);
        assertThat(Files.readString(dir.resolve("out"))).contains("bundle /dev/stdin: kharden-bundle/1");
    }

    /** On a terminal (made by script(1)), both refuse with a usage error and write nothing. */
    @Test
    void neverToOrFromATerminal() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/script")), "script(1) is not installed: no terminal to test with");
        List<String> seal = java("seal", "--root", root.toString(), "--to", SUPPORT.recipient().toString(), "-o", "-", "vmcore");
        List<String> unseal = java("unseal", "-i", key.toString(), "-", "-o", "never");
        List<String> sign = java("modsig", "sign", "--key", "k.pem", "--cert", "c.pem", "m.ko", "/dev/stdout");
        List<String> der = java("modsig", "certs", "--der", "-o", "/dev/stdout", "vmlinuz");
        for (List<String> cmd : List.of(seal, unseal, sign, der)) {
            String line = String.join(" ", cmd.stream().map(a -> "'" + a.replace("'", "'\\''") + "'").toList());
            Run r = run(List.of("/usr/bin/script", "-qec", line, "/dev/null"), new File("/dev/null"), dir.resolve("tty").toFile());
            String shown = Files.readString(dir.resolve("tty"), StandardCharsets.UTF_8) + r.err();
            assertThat(r.code()).as(shown).isEqualTo(ExitCodes.USAGE);
            assertThat(shown).containsAnyOf("refusing to write a bundle (binary) to the terminal",
                    "refusing to read a bundle (binary) from the terminal", "refusing to write a signed module (binary) to the terminal",
                    "refusing to write DER (binary) to the terminal");
        }
        assertThat(Files.exists(dir.resolve("never"))).isFalse();
    }
}
