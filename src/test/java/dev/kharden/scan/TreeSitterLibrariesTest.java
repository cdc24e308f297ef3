package dev.kharden.scan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * tree-sitter's native libraries are unpacked where they can be written and loaded whoever runs
 * kharden, and loading them prints nothing on standard output. The JVM loads a native library once,
 * so the end-to-end cases run kharden in a child JVM; the case as another user needs root (to become
 * nobody with setpriv) and is skipped otherwise, saying so.
 */
class TreeSitterLibrariesTest {
    @TempDir
    Path tmp;

    /** A path that cannot be created even by root: its parent is a regular file. */
    private Path unusable(String name) throws IOException {
        Path file = Files.writeString(tmp.resolve("a-file-" + name), "not a folder\n");
        return file.resolve(name);
    }

    private static void assertHoldsTheLibraries(Path folder) throws IOException {
        assertThat(TreeSitterLibraries.resourceNames()).hasSize(2);
        for (String name : TreeSitterLibraries.resourceNames()) {
            try (InputStream in = TreeSitterLibraries.class.getClassLoader().getResourceAsStream(name)) {
                assertThat(in).as(name).isNotNull();
                assertThat(folder.resolve(name)).hasBinaryContent(in.readAllBytes());
            }
        }
    }

    @Test
    void theHomeFolderIsUsedWhenItCanBeWritten() throws IOException {
        Path home = Files.createDirectories(tmp.resolve("home"));
        Path temp = Files.createDirectories(tmp.resolve("temp"));
        TreeSitterLibraries.Place p = TreeSitterLibraries.prepare(null, home.toString(), temp);
        assertThat(p.folder()).isEqualTo(home.resolve(".tree-sitter"));
        assertThat(p.trouble()).isNull();
        assertHoldsTheLibraries(p.folder());
        try (Stream<Path> left = Files.list(temp)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void aStaleLibraryIsReplacedAndACurrentOneKept() throws IOException {
        Path home = Files.createDirectories(tmp.resolve("home"));
        String first = TreeSitterLibraries.resourceNames().get(0);
        Path stale = home.resolve(".tree-sitter").resolve(first);
        Files.createDirectories(stale.getParent());
        Files.writeString(stale, "an older build\n");
        TreeSitterLibraries.Place p = TreeSitterLibraries.prepare(null, home.toString(), tmp);
        assertHoldsTheLibraries(p.folder());
        try (Stream<Path> files = Files.list(stale.getParent())) {
            assertThat(files).as("no temporary file is left behind").hasSize(2);
        }
        // A current library is not written again.
        Files.setLastModifiedTime(stale, java.nio.file.attribute.FileTime.fromMillis(0));
        assertThat(TreeSitterLibraries.prepare(null, home.toString(), tmp).folder()).isEqualTo(p.folder());
        assertThat(Files.getLastModifiedTime(stale).toMillis()).isZero();
    }

    @Test
    void aHomeThatCannotBeWrittenFallsBackToAPrivateTemporaryFolder() throws IOException {
        Path temp = Files.createDirectories(tmp.resolve("temp"));
        TreeSitterLibraries.Place p = TreeSitterLibraries.prepare(null, unusable("home").toString(), temp);
        assertThat(p.trouble()).isNull();
        assertThat(p.folder().getParent()).isEqualTo(temp);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p.folder()))).isEqualTo("rwx------");
        assertHoldsTheLibraries(p.folder());
        assertThat(TreeSitterLibraries.prepare(null, null, temp).folder().getParent()).as("no user.home").isEqualTo(temp);
    }

    @Test
    void theFolderTheBindingsAreToldIsUsedAsItIs() throws IOException {
        Path named = tmp.resolve("named");
        TreeSitterLibraries.Place p = TreeSitterLibraries.prepare(named.toString(), tmp.resolve("home").toString(), tmp);
        assertThat(p.folder()).isEqualTo(named);
        assertHoldsTheLibraries(named);

        Path bad = unusable("named");
        TreeSitterLibraries.Place failed = TreeSitterLibraries.prepare(bad.toString(), tmp.resolve("home").toString(), tmp);
        assertThat(failed.folder()).isEqualTo(bad);
        assertThat(failed.trouble()).isNotBlank();
    }

    @Test
    void nothingWritableIsSaidWithBothFolders() throws IOException {
        Path home = unusable("home");
        Path temp = unusable("temp");
        TreeSitterLibraries.Place p = TreeSitterLibraries.prepare(null, home.toString(), temp);
        assertThat(p.trouble()).isNotBlank();
        assertThat(p.hint()).contains(home.resolve(".tree-sitter").toString()).contains(temp.toString());
    }

    @Test
    void whatTheBindingsPrintWhileLoadingStaysOffStandardOutput() {
        PrintStream stdout = System.out;
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        String got = TreeSitterLibraries.quietly(said, () -> {
            System.out.println("Failed to move lib file: x86_64-linux-gnu-tree-sitter.so123");
            return "loaded";
        });
        assertThat(got).isEqualTo("loaded");
        assertThat(said.toString(StandardCharsets.UTF_8)).isEqualTo("Failed to move lib file: x86_64-linux-gnu-tree-sitter.so123\n");
        assertThat(System.out).isSameAs(stdout);

        assertThatThrownBy(() -> TreeSitterLibraries.quietly(said, () -> {
            throw new UnsatisfiedLinkError("Can't load library");
        })).isInstanceOf(UnsatisfiedLinkError.class);
        assertThat(System.out).isSameAs(stdout);
    }

    // ---- end to end, in a child JVM ----

    private record Run(int code, String out, String err) {
    }

    private Run kharden(List<String> prefix, String classpath, List<String> jvm, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.addAll(jvm);
        cmd.addAll(List.of("-cp", classpath, "dev.kharden.cli.Main"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        Path out = tmp.resolve("out.txt");
        Path err = tmp.resolve("err.txt");
        pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        Process p = pb.start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("kharden finished").isTrue();
        return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private Path source() throws IOException {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Files.setPosixFilePermissions(src, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path c = Files.writeString(src.resolve("a.c"), "p = kmalloc(n * sizeof(*p), GFP_KERNEL);\n");
        Files.setPosixFilePermissions(c, PosixFilePermissions.fromString("rw-r--r--"));
        return c;
    }

    private static void assertOneFindingAsJson(Run r) throws IOException {
        assertThat(r.code()).as(r.err()).isEqualTo(1);
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.get("findings").size()).isEqualTo(1);
        assertThat(r.err()).doesNotContain("Exception");
    }

    @Test
    void aScanWithAHomeThatCannotBeWrittenWorksAndLeavesNothingBehind() throws Exception {
        Path temp = Files.createDirectories(tmp.resolve("temp"));
        Run r = kharden(List.of(), System.getProperty("java.class.path"),
                List.of("-Duser.home=" + unusable("home"), "-Djava.io.tmpdir=" + temp),
                "scan", "--no-progress", "--format", "json", source().toString());
        assertOneFindingAsJson(r);
        try (Stream<Path> left = Files.list(temp)) {
            assertThat(left).as("the private folder is removed on exit").isEmpty();
        }
    }

    @Test
    void aLibraryThatCannotLoadIsOneLineNamingTheFolderAndNothingOnStandardOutput() throws Exception {
        Path bad = unusable("lib");
        Run r = kharden(List.of(), System.getProperty("java.class.path"), List.of("-D" + TreeSitterLibraries.FOLDER_PROPERTY + "=" + bad),
                "scan", "--no-progress", "--format", "json", source().toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.out()).as("standard output").isEmpty();
        assertThat(r.err()).startsWith("kharden: cannot load tree-sitter's native").contains(bad.toString())
                .doesNotContain("Exception").doesNotContain("\tat ");
    }

    @Test
    void aUserWhoseHomeDoesNotExistCanScan() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "not root: cannot scan as another user");
        Process probe = new ProcessBuilder("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "true")
                .redirectErrorStream(true).start();
        probe.getInputStream().readAllBytes();
        Assumptions.assumeTrue(probe.waitFor() == 0, "setpriv or the nobody user is missing");
        // The build's class path may sit in folders only its owner can read: copy it where nobody can.
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path cp = Files.createDirectories(tmp.resolve("cp"));
        List<String> entries = new ArrayList<>();
        int n = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path from = Path.of(entry);
            Path to = cp.resolve(n++ + "-" + from.getFileName());
            copyReadable(from, to);
            entries.add(to.toString());
        }
        Path c = source();
        Run r = kharden(List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"),
                String.join(File.pathSeparator, entries), List.of("-Duser.home=/nonexistent"),
                "scan", "--no-progress", "--format", "json", c.toString());
        assertOneFindingAsJson(r);
    }

    private static void copyReadable(Path from, Path to) throws IOException {
        if (!Files.exists(from)) {
            return;
        }
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
                } else {
                    Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
                    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));
                }
            }
        }
    }
}
