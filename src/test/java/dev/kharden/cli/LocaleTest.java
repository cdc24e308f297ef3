package dev.kharden.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Under LANG=C the JDK encodes file names in ASCII, so a non-ASCII name cannot become a path: that is
 * a usage error naming the way out, not a stack trace. Runs kharden in a JVM of its own, whose
 * locale is C.
 */
class LocaleTest {
    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {
    }

    private Run kharden(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("LANG", "C");
        pb.environment().put("LC_ALL", "C");
        pb.redirectOutput(dir.resolve("out").toFile()).redirectError(dir.resolve("err").toFile());
        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), java.nio.file.Files.readString(dir.resolve("out"), StandardCharsets.ISO_8859_1),
                java.nio.file.Files.readString(dir.resolve("err"), StandardCharsets.ISO_8859_1));
    }

    @Test
    void aNameTheLocaleCannotEncodeIsAUsageError() throws Exception {
        Run r = kharden("check", "--config", dir.resolve("caf\u00e9.config").toString());
        assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("cannot encode").contains("LANG=C.UTF-8").doesNotContain("Exception").doesNotContain("\tat ");
    }
}
