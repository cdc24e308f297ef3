package dev.kharden.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/kharden run by a user who cannot write the checkout's target/ folder (kharden installed by root,
 * run by others): it must neither try to build nor record a start-up cache on every run, and must
 * say clearly what it does. The launcher runs in a copy of the layout with a fake JDK whose java
 * logs how it was called. The cases as another user need root (to become nobody with setpriv) and
 * are skipped otherwise, saying so; the control case, where target/ is writable, runs everywhere.
 */
class LauncherTest {
    @TempDir
    Path tmp;
    private Path root;
    private Path javaHome;
    private Path log;

    @BeforeEach
    void layout() throws IOException {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        root = Files.createDirectories(tmp.resolve("kharden"));
        Files.createDirectories(root.resolve("bin"));
        for (String script : new String[] {"kharden", "jdk.sh"}) {
            Files.copy(Path.of("bin", script), root.resolve("bin").resolve(script), StandardCopyOption.COPY_ATTRIBUTES);
        }
        Files.createDirectories(root.resolve("src/main"));
        Files.writeString(root.resolve("src/main/Source.java"), "// a source file\n");
        Files.createDirectories(root.resolve("target"));
        Path logs = Files.createDirectories(tmp.resolve("logs"));
        Files.setPosixFilePermissions(logs, PosixFilePermissions.fromString("rwxrwxrwx"));
        log = logs.resolve("java.log");
        javaHome = Files.createDirectories(tmp.resolve("jdk"));
        Files.createDirectories(javaHome.resolve("bin"));
        Files.writeString(javaHome.resolve("release"), "JAVA_VERSION=\"25.0.1\"\n");
        executable(javaHome.resolve("bin/java"), "#!/bin/sh\necho \"$*\" >> '" + log + "'\nexit 0\n");
        executable(javaHome.resolve("bin/javac"), "#!/bin/sh\nexit 9\n");
    }

    private static void executable(Path p, String text) throws IOException {
        Files.writeString(p, text);
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** A jar newer (or older) than the sources. */
    private void jar(boolean newerThanSources) throws IOException {
        Path jar = Files.writeString(root.resolve("target/kharden.jar"), "not a real jar: the fake java never opens it");
        FileTime sources = Files.getLastModifiedTime(root.resolve("src/main/Source.java"));
        Files.setLastModifiedTime(jar, FileTime.fromMillis(sources.toMillis() + (newerThanSources ? 60_000 : -60_000)));
    }

    private record Run(int code, String err, List<String> javaCalls) {
    }

    private Run run(boolean asNobody) throws Exception {
        return run(asNobody, "check", "--format", "json");
    }

    private Run run(boolean asNobody, String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        if (asNobody) {
            cmd.addAll(List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"));
        }
        cmd.addAll(List.of("bash", root.resolve("bin/kharden").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("JAVA_HOME", javaHome.toString());
        pb.environment().remove("KHARDEN_JAVA_OPTS");
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        int code = p.waitFor();
        List<String> calls = Files.exists(log) ? Files.readAllLines(log) : List.of();
        return new Run(code, err, calls);
    }

    private static void assumeCanBecomeNobody() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "not root: cannot run the launcher as another user");
        Process p = new ProcessBuilder("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "true")
                .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        Assumptions.assumeTrue(p.waitFor() == 0, "setpriv or the nobody user is missing");
    }

    @Test
    void aClosedStandardInputReachesJavaAsAnEmptyOne() throws Exception {
        jar(true);
        // the fake java says what its standard input is
        executable(javaHome.resolve("bin/java"), "#!/bin/sh\necho \"$* stdin=$(readlink /proc/self/fd/0 || echo closed)\" >> '"
                + log + "'\nexit 0\n");
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", "exec bash \"$0\" redact - <&-", root.resolve("bin/kharden").toString());
        pb.environment().put("JAVA_HOME", javaHome.toString());
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        assertThat(pb.start().waitFor()).isZero();
        List<String> calls = Files.readAllLines(log);
        assertThat(calls.get(calls.size() - 1)).endsWith("redact - stdin=/dev/null");
    }

    @Test
    void oneConfigCompilesLaterAndABatchOrAFolderDoesNot() throws Exception {
        jar(true);
        Path folder = Files.createDirectories(tmp.resolve("configs"));
        Path one = Files.writeString(folder.resolve("a.config"), "CONFIG_X86_64=y\n");
        String late = "-XX:CompileThresholdScaling=5";
        assertThat(last(run(false, "check", "--config", one.toString()))).contains(late);
        assertThat(last(run(false, "check", "--config=" + one))).contains(late);
        assertThat(last(run(false, "check"))).contains(late);
        assertThat(last(run(false, "check", "--config", one.toString(), "--config", one.toString()))).doesNotContain(late);
        assertThat(last(run(false, "check", "--config", folder.toString()))).doesNotContain(late);
        assertThat(last(run(false, "check", "--config=" + folder))).doesNotContain(late);
    }

    private static String last(Run r) {
        assertThat(r.code()).as(r.err()).isZero();
        return r.javaCalls().get(r.javaCalls().size() - 1);
    }

    /** Each command's start-up cache is trained on a group that kharden __train knows (else no cache, silently). */
    @Test
    void everyCommandTrainsAGroupThatExists() throws Exception {
        jar(true);
        java.util.Set<String> groups = java.util.Arrays.stream(dev.kharden.cli.TrainCommand.Group.values()).map(Enum::name).collect(java.util.stream.Collectors.toSet());
        java.util.Map<String, String> seen = new java.util.TreeMap<>();
        for (String command : new String[] {"check", "catalog", "explain", "fix", "diff", "docs", "modsig", "livepatch",
                "symbolize", "redact", "seal", "unseal", "keygen", "scan", "--help"}) {
            Files.deleteIfExists(log); // the fake java's log of this run only
            Run r = run(false, command);
            String training = r.javaCalls().get(0);
            assertThat(training).as(command).contains("__train ");
            String group = training.substring(training.indexOf("__train ") + "__train ".length()).strip();
            assertThat(groups).as(command + " trains " + group).contains(group);
            seen.put(command, group);
        }
        assertThat(seen).containsEntry("seal", "seal").containsEntry("unseal", "seal").containsEntry("keygen", "seal")
                .containsEntry("check", "check");
    }

    @Test
    void theOwnerRecordsTheStartUpCacheOnce() throws Exception {
        jar(true);
        Run r = run(false);
        assertThat(r.code()).isZero();
        assertThat(r.javaCalls()).hasSize(2);
        assertThat(r.javaCalls().get(0)).contains("-XX:AOTCacheOutput=").contains("__train check");
        assertThat(r.javaCalls().get(1)).doesNotContain("AOTCacheOutput").endsWith("dev.kharden.cli.Main check --format json");
    }

    @Test
    void anotherUserRunsWithoutTryingToRecordTheCache() throws Exception {
        assumeCanBecomeNobody();
        jar(true);
        Run r = run(true);
        assertThat(r.code()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.javaCalls()).singleElement().asString()
                .doesNotContain("AOTCacheOutput").endsWith("dev.kharden.cli.Main check --format json");
    }

    @Test
    void anotherUserRunsTheExistingBuildWhenTheSourcesAreNewer() throws Exception {
        assumeCanBecomeNobody();
        jar(false);
        Run r = run(true);
        assertThat(r.code()).isZero();
        assertThat(r.err()).contains("note: the sources are newer than the build")
                .contains("not writable by this user").doesNotContain("building");
        assertThat(r.javaCalls()).singleElement().asString().endsWith("dev.kharden.cli.Main check --format json");
    }

    @Test
    void anotherUserWithoutAnyBuildIsToldWhatToDo() throws Exception {
        assumeCanBecomeNobody();
        Run r = run(true);
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("kharden: not built yet").contains("run bin/kharden once as the owner of " + root);
        assertThat(r.javaCalls()).isEmpty();
    }
}
