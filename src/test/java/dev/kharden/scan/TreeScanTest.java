package dev.kharden.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which files a scan of the named paths covers. */
class TreeScanTest {
    private static List<String> collect(Path... roots) {
        List<FileResult> problems = new ArrayList<>();
        List<String> out = TreeScan.collect(List.of(roots), problems).stream().map(TreeScan.Source::display).toList();
        assertThat(problems).isEmpty();
        return out;
    }

    private static String display(Path p) {
        return p.toString().replace(java.io.File.separatorChar, '/');
    }

    @Test
    void aNamedLinkToAFolderIsFollowedAndItsFilesNamedThroughIt(@TempDir Path dir) throws Exception {
        Path tree = Files.createDirectories(dir.resolve("tree/drivers"));
        Files.writeString(tree.resolve("a.c"), "int a;\n");
        Files.writeString(dir.resolve("tree/b.h"), "int b;\n");
        Path link = Files.createSymbolicLink(dir.resolve("linktree"), dir.resolve("tree"));

        assertThat(collect(link)).containsExactly(display(link.resolve("b.h")), display(link.resolve("drivers/a.c")));
        List<FileResult> problems = new ArrayList<>();
        TreeScan.Source a = TreeScan.collect(List.of(link), problems).get(1);
        assertThat(Files.readString(a.path())).isEqualTo("int a;\n");
        assertThat(a.root()).isEqualTo(link.toAbsolutePath());
    }

    @Test
    void aRelativeLinkToAFolderIsFollowed(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("src"));
        Files.writeString(dir.resolve("src/a.c"), "int a;\n");
        Path link = Files.createSymbolicLink(dir.resolve("build"), Path.of("src"));
        assertThat(collect(link)).containsExactly(display(link.resolve("a.c")));
    }

    @Test
    void linksBelowANamedPathAreNotFollowed(@TempDir Path dir) throws Exception {
        Path tree = Files.createDirectories(dir.resolve("tree"));
        Files.writeString(tree.resolve("a.c"), "int a;\n");
        Path other = Files.createDirectories(dir.resolve("other"));
        Files.writeString(other.resolve("b.c"), "int b;\n");
        Files.createSymbolicLink(tree.resolve("sub"), other);
        Files.createSymbolicLink(tree.resolve("c.c"), other.resolve("b.c"));
        Files.createSymbolicLink(tree.resolve("loop"), tree);
        Path link = Files.createSymbolicLink(dir.resolve("linktree"), tree);

        assertThat(collect(tree)).containsExactly(display(tree.resolve("a.c")));
        assertThat(collect(link)).containsExactly(display(link.resolve("a.c")));
        assertThat(collect(tree.resolve("loop"))).containsExactly(display(tree.resolve("loop/a.c")));
    }

    @Test
    void aNamedLinkToAFileIsScannedWhateverItsName(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("a.c"), "int a;\n");
        Path link = Files.createSymbolicLink(dir.resolve("source"), file);
        assertThat(collect(link)).containsExactly(display(link));
    }
}
