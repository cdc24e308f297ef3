package dev.kharden.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** bin/jdk.sh, which every kharden script sources to find a JDK 25 without starting a JVM. */
class JdkScriptTest {
    private static final Path SCRIPT = Path.of("bin/jdk.sh").toAbsolutePath();

    @TempDir
    Path tmp;

    /** A fake JDK folder: executable bin/java and bin/javac that must never be run, and a release file. */
    private Path fakeJdk(String name, String release) throws IOException {
        Path home = Files.createDirectories(tmp.resolve("jvm").resolve(name));
        Files.createDirectories(home.resolve("bin"));
        for (String tool : new String[] {"java", "javac"}) {
            Path p = Files.writeString(home.resolve("bin").resolve(tool), "#!/bin/sh\necho ran >&2\nexit 9\n");
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        Files.writeString(home.resolve("release"), release);
        return home;
    }

    private record Result(int code, String out, String err) {
    }

    private Result bash(String script, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", ". '" + SCRIPT + "'; " + script);
        pb.environment().remove("JAVA_HOME");
        pb.environment().put("PATH", "/usr/bin:/bin"); // Debian's java alternative lives in /usr/bin
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Result(p.waitFor(), out, err);
    }

    @Test
    void readsTheFeatureVersionFromTheReleaseFile() throws Exception {
        Path old = fakeJdk("old", "IMPLEMENTOR=\"x\"\nJAVA_VERSION=\"17.0.2\"\n");
        Path ea = fakeJdk("ea", "JAVA_VERSION=\"26-ea\""); // no final newline
        assertThat(bash("kharden_java_major '" + old + "'", Map.of()).out()).isEqualTo("17");
        assertThat(bash("kharden_java_major '" + ea + "'", Map.of()).out()).isEqualTo("26");
    }

    @Test
    void prefersJavaHomeWhenItIsAJdk25() throws Exception {
        Path home = fakeJdk("mine", "JAVA_VERSION=\"25.0.1\"\n");
        Result r = bash("kharden_find_jdk && echo \"$JAVA_HOME $KHARDEN_JAVA_MAJOR\"", Map.of("JAVA_HOME", home.toString(),
                "KHARDEN_JVM_DIR", tmp.resolve("none").toString()));
        assertThat(r.code()).isZero();
        assertThat(r.out().strip()).isEqualTo(home + " 25"); // the launcher sets JDK-25-only flags by the major
        assertThat(r.err()).doesNotContain("ran"); // found without starting any java
    }

    @Test
    void skipsOlderJdksAndSaysClearlyWhenNoneIsThere() throws Exception {
        Path old = fakeJdk("java-17", "JAVA_VERSION=\"17.0.2\"\n");
        Result r = bash("kharden_find_jdk", Map.of("JAVA_HOME", old.toString(),
                "KHARDEN_JVM_DIR", tmp.resolve("jvm").toString(), "PATH", "/nonexistent"));
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("no JDK 25 found").contains("JAVA_HOME=" + old).contains(tmp.resolve("jvm").toString());
    }

    @Test
    void findsAJdk25InTheJvmFolder() throws Exception {
        fakeJdk("java-17", "JAVA_VERSION=\"17.0.2\"\n");
        Path jdk25 = fakeJdk("temurin-25-jdk", "JAVA_VERSION=\"25\"\n");
        Result r = bash("kharden_find_jdk && echo \"$JAVA_HOME\"", Map.of("KHARDEN_JVM_DIR", tmp.resolve("jvm").toString(),
                "PATH", "/nonexistent"));
        assertThat(r.code()).isZero();
        assertThat(r.out().strip()).isEqualTo(jdk25.toString());
        Path jdk26 = fakeJdk("jdk-26", "JAVA_VERSION=\"26\"\n");
        assertThat(bash("kharden_find_jdk && echo \"$KHARDEN_JAVA_MAJOR\"", Map.of("JAVA_HOME", jdk26.toString())).out().strip())
                .isEqualTo("26");
    }
}
