package dev.kharden.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `kharden docs`: writes the reference, rewrites only what changed, removes stray pages, --check for CI, clear errors. */
class DocsCommandTest {
    @Test
    void writesThenReportsUpToDateAndCheckFindsStaleAndExtraPages(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("ref");
        CliRun first = CliRun.of("docs", "--out", out.toString(), "--no-svg");
        assertThat(first.code()).as(first.err()).isEqualTo(ExitCodes.OK);
        int features = dev.kharden.catalog.CatalogLoader.load().features().size();
        assertThat(first.out()).contains((features + 2) + " written, 0 unchanged, 0 removed");
        assertThat(out.resolve("README.md")).isRegularFile();
        assertThat(out.resolve("defence-map.dot")).isRegularFile();
        try (Stream<Path> s = Files.list(out.resolve("features"))) {
            assertThat(s.count()).isEqualTo(features);
        }
        assertThat(CliRun.of("docs", "--out", out.toString(), "--check").out()).contains("up to date");

        Path page = out.resolve("features/kaslr.md");
        Files.writeString(page, "edited by hand\n");
        Files.writeString(out.resolve("features/gone-feature.md"), "old\n");
        Files.writeString(out.resolve("notes.txt"), "mine, not generated\n");
        CliRun check = CliRun.of("docs", "--out", out.toString(), "--check");
        assertThat(check.code()).isEqualTo(ExitCodes.FINDINGS);
        assertThat(check.out()).contains("stale: " + page).contains("extra: " + out.resolve("features/gone-feature.md"))
                .contains("kharden docs --out " + out);
        assertThat(Files.readString(page)).isEqualTo("edited by hand\n"); // --check writes nothing

        JsonNode again = CliRun.of("docs", "--out", out.toString(), "--no-svg", "--format", "json").json();
        assertThat(again.get("schema").asText()).isEqualTo("kharden-docs/1");
        assertThat(again.get("written")).hasSize(1);
        assertThat(again.get("written").get(0).asText()).isEqualTo("features/kaslr.md");
        assertThat(again.get("removed").get(0).asText()).isEqualTo("features/gone-feature.md");
        assertThat(Files.readString(page)).contains("(`kaslr`)");
        assertThat(out.resolve("features/gone-feature.md")).doesNotExist();
        assertThat(out.resolve("notes.txt")).exists(); // only generated pages are ever removed
        try (Stream<Path> s = Files.walk(out)) {
            assertThat(s.filter(p -> p.getFileName().toString().endsWith(".tmp"))).isEmpty();
        }
    }

    /** A folder of the person's own (no generated README.md) is neither overwritten nor pruned; a file is no folder. */
    @Test
    void refusesAFolderItDidNotMake(@TempDir Path dir) throws Exception {
        Path mine = Files.createDirectories(dir.resolve("mine/features"));
        Files.writeString(dir.resolve("mine/README.md"), "my own notes\n");
        Files.writeString(mine.resolve("my.md"), "mine\n");
        CliRun r = CliRun.of("docs", "--out", dir.resolve("mine").toString(), "--no-svg");
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("not a reference kharden docs made");
        assertThat(Files.readString(dir.resolve("mine/README.md"))).isEqualTo("my own notes\n");
        assertThat(mine.resolve("my.md")).exists();
        Path file = Files.writeString(dir.resolve("a-file"), "x\n");
        assertThat(CliRun.of("docs", "--out", file.toString(), "--no-svg").err()).contains("it is a file, not a folder");
        assertThat(CliRun.of("docs", "--out", file.resolve("ref").toString(), "--no-svg").err()).contains("a-file is not a folder");
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertThat(CliRun.of("docs", "--out", empty.toString(), "--no-svg").code()).isEqualTo(ExitCodes.OK);
    }

    @Test
    void drawsTheSvgWhenGraphvizIsInstalled(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/dot")), "graphviz (dot) not installed: skipping the SVG test");
        CliRun r = CliRun.of("docs", "--out", dir.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("defence-map.svg drawn");
        String svg = Files.readString(dir.resolve("defence-map.svg"));
        assertThat(svg).contains("<svg").contains("slab-freelist-hardened.md").contains("SLAB_FREELIST_HARDENED");
    }

    @Test
    void unwritableOrMissingFolderIsOneLineAndNothingHalfWritten(@TempDir Path dir) throws Exception {
        CliRun missing = CliRun.of("docs", "--out", dir.resolve("no/such/ref").toString());
        assertThat(missing.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(missing.err().strip()).startsWith("kharden: cannot write").contains("does not exist").doesNotContain("Exception");
        assertThat(dir.resolve("no")).doesNotExist();

        Path file = Files.writeString(dir.resolve("a-file"), "x");
        CliRun notDir = CliRun.of("docs", "--out", file.toString(), "--no-svg");
        assertThat(notDir.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(notDir.err()).startsWith("kharden: ").contains("a-file").doesNotContain("\tat ");
        assertThat(Files.readString(file)).isEqualTo("x");

        CliRun usage = CliRun.of("docs");
        assertThat(usage.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(usage.err()).contains("--out");
    }
}
