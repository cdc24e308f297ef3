package dev.kharden.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `kharden scan` end to end: exit codes, the three formats, --fix with the real patch tool, bad input. */
class ScanCommandTest {
    private static final String FIXTURES = "/dev/kharden/scan/";

    static Path fixtureTree(Path dir, String... names) throws Exception {
        Path src = Files.createDirectories(dir.resolve("drivers/acme"));
        for (String n : names) {
            try (InputStream in = ScanCommandTest.class.getResourceAsStream(FIXTURES + n)) {
                Files.write(src.resolve(n), in.readAllBytes());
            }
        }
        return src;
    }

    @Test
    void cleanTreeExitsZeroAndFindingsExitOne(@TempDir Path dir) throws Exception {
        Path clean = Files.writeString(dir.resolve("clean.c"), "p = kmalloc_array(n, sizeof(*p), GFP_KERNEL);\n");
        CliRun ok = CliRun.of("scan", "--no-progress", clean.toString());
        assertThat(ok.code()).isEqualTo(ExitCodes.OK);
        assertThat(ok.out()).contains("0 findings");

        Path bad = Files.writeString(dir.resolve("bad.c"), "p = kmalloc(n * sizeof(*p), GFP_KERNEL);\n");
        CliRun r = CliRun.of("scan", "--no-progress", "--kernel-version", "6.1", bad.toString());
        assertThat(r.code()).isEqualTo(ExitCodes.FINDINGS);
        assertThat(r.out()).contains(bad.toString().replace('\\', '/')).contains("1:5  alloc-mul")
                .contains("suggestion: kmalloc_array(n, sizeof(*p), GFP_KERNEL)");
    }

    @Test
    void jsonCarriesSchemaPolicyAndEveryFinding(@TempDir Path dir) throws Exception {
        Path src = fixtureTree(dir, "alloc.c", "struct.c");
        CliRun r = CliRun.of("scan", "--no-progress", "--format", "json", "--kernel-version", "6.1", src.toString());
        assertThat(r.code()).isEqualTo(ExitCodes.FINDINGS);
        JsonNode j = r.json();
        assertThat(j.get("schema").asText()).isEqualTo("kharden-scan/1");
        assertThat(j.get("kernelVersion").asText()).isEqualTo("6.1");
        assertThat(j.get("policy").get("macrosAsVariables").asBoolean()).isTrue();
        JsonNode constants = CliRun.of("scan", "--no-progress", "--format", "json", "--macros-as-constants", src.toString()).json();
        assertThat(constants.get("policy").get("macrosAsVariables").asBoolean()).isFalse();
        assertThat(j.get("summary").get("scanned").asInt()).isEqualTo(2);
        JsonNode first = j.get("findings").get(0);
        assertThat(first.get("file").asText()).endsWith("drivers/acme/alloc.c");
        assertThat(first.get("line").asInt()).isEqualTo(7);
        assertThat(first.get("column").asInt()).isEqualTo(18);
        assertThat(first.get("helper").asText()).isEqualTo("kmalloc_array");
        assertThat(j.get("findings").size()).isEqualTo(j.get("summary").get("findings").asInt());
    }

    @Test
    void sarifHasRulesAndRegions(@TempDir Path dir) throws Exception {
        Path src = fixtureTree(dir, "copy.c");
        Path out = dir.resolve("scan.sarif");
        CliRun r = CliRun.of("scan", "--no-progress", "--format", "sarif", "-o", out.toString(), src.toString());
        assertThat(r.code()).isEqualTo(ExitCodes.FINDINGS);
        JsonNode s = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.toFile());
        assertThat(s.get("version").asText()).isEqualTo("2.1.0");
        JsonNode run = s.get("runs").get(0);
        assertThat(run.get("tool").get("driver").get("rules").size()).isEqualTo(7);
        JsonNode res = run.get("results").get(0);
        assertThat(res.get("ruleId").asText()).isEqualTo("copy-mul");
        JsonNode region = res.get("locations").get(0).get("physicalLocation").get("region");
        assertThat(region.get("startLine").asInt()).isEqualTo(6);
        assertThat(region.get("startColumn").asInt()).isEqualTo(2);
        assertThat(res.get("locations").get(0).get("physicalLocation").get("artifactLocation").get("uri").asText())
                .endsWith("drivers/acme/copy.c");
    }

    @Test
    void fixDiffAppliesWithPatchAndLeavesNothingToFix(@TempDir Path dir) throws Exception {
        assumeTrue(onPath("patch"), "patch not installed: skipping (Debian package patch)");
        Path tree = Files.createDirectories(dir.resolve("tree"));
        fixtureTree(tree, "alloc.c", "struct.c", "macros.c", "typed-7.0.c");
        Path before = Files.createDirectories(dir.resolve("before"));
        fixtureTree(before, "alloc.c", "struct.c", "macros.c", "typed-7.0.c");
        Path diff = dir.resolve("fix.diff");
        CliRun r = CliRun.of("scan", "--no-progress", "--kernel-version", "6.1", "--fix", diff.toString(),
                tree.resolve("drivers").toString());
        assertThat(r.code()).isEqualTo(ExitCodes.FINDINGS);
        String text = Files.readString(diff);
        assertThat(text).contains("--- a/").contains("+++ b/").contains("+\tstruct foo *p = kmalloc_array(n, sizeof(*p), GFP_KERNEL);");
        // The files were not touched in place.
        assertThat(Files.readAllBytes(tree.resolve("drivers/acme/alloc.c")))
                .isEqualTo(Files.readAllBytes(before.resolve("drivers/acme/alloc.c")));

        // Paths are relative to where patch -p1 runs: the tree's root here.
        Path diffFromRoot = dir.resolve("root.diff");
        Path cwd = Path.of("").toAbsolutePath();
        assumeTrue(!tree.toAbsolutePath().startsWith(cwd), "temp dir under the working directory");
        CliRun again = CliRun.of("scan", "--no-progress", "--kernel-version", "6.1", "--fix", diffFromRoot.toString(),
                tree.toString());
        assertThat(again.code()).isEqualTo(ExitCodes.FINDINGS);
        Process p = new ProcessBuilder("patch", "-p1", "--batch", "--forward", "-i", diffFromRoot.toString())
                .directory(tree.toFile()).redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(log).isZero();

        // After the patch, only findings without a mechanical rewrite are left.
        CliRun after = CliRun.of("scan", "--no-progress", "--kernel-version", "6.1", "--format", "json", tree.toString());
        List<String> left = new ArrayList<>();
        after.json().get("findings").forEach(f -> left.add(f.get("helper").asText() + ":"
                + (f.has("suggestion") ? "rewritable" : "manual")));
        assertThat(left).allMatch(s -> s.endsWith(":manual"));
    }

    @Test
    void badFilesAreReportedAndTheScanGoesOn(@TempDir Path dir) throws Exception {
        Path tree = Files.createDirectories(dir.resolve("t"));
        Files.write(tree.resolve("blob.c"), new byte[] {'k', 0, 1, 2, 3});
        Files.write(tree.resolve("latin1.c"), ("/* caf\u00e9 */ p = kmalloc(n * m, G);\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        Files.writeString(tree.resolve("huge.c"), "x".repeat(20000) + "\np = kmalloc(n * m, G);\n");
        StringBuilder deep = new StringBuilder("p = kmalloc(");
        deep.append("(".repeat(5000)).append("n").append(")".repeat(5000)).append(" * m, G);\n");
        deep.append("q = vmalloc(a * b);\n");
        Files.writeString(tree.resolve("deep.c"), deep.toString());
        Files.createSymbolicLink(tree.resolve("gone.c"), tree.resolve("does-not-exist.c"));

        CliRun r = CliRun.of("scan", "--no-progress", "--max-file-size", "16000", "--format", "json",
                tree.toString(), tree.resolve("gone.c").toString());
        JsonNode j = r.json();
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE); // one file could not be read
        List<String> statuses = new ArrayList<>();
        j.get("files").forEach(f -> statuses.add(f.get("path").asText().replaceAll(".*/", "") + " "
                + f.get("status").asText() + " " + (f.has("reason") ? f.get("reason").asText() : f.get("warnings").get(0).asText())));
        assertThat(statuses).anyMatch(s -> s.startsWith("blob.c skipped binary file"))
                .anyMatch(s -> s.startsWith("huge.c skipped larger than 16000 bytes"))
                .anyMatch(s -> s.startsWith("gone.c error"))
                .anyMatch(s -> s.startsWith("deep.c scanned 1: expression nested deeper"));
        List<String> found = new ArrayList<>();
        j.get("findings").forEach(f -> found.add(f.get("file").asText().replaceAll(".*/", "") + ":"
                + f.get("line").asInt() + ":" + f.get("column").asInt()));
        // The Latin-1 byte of é is invalid UTF-8 and counts as one unit: kmalloc is at column 16.
        assertThat(found).containsExactly("deep.c:2:5", "latin1.c:1:16");
        assertThat(r.err()).doesNotContain("Exception");
    }

    @Test
    void usageErrorsExitTwoWithAHint(@TempDir Path dir) {
        CliRun v = CliRun.of("scan", "--kernel-version", "banana", dir.toString());
        assertThat(v.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(v.err()).contains("not a kernel version").contains("hint:");
        CliRun rule = CliRun.of("scan", "--rules", "alloc-mul,nope", dir.toString());
        assertThat(rule.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(rule.err()).contains("unknown rule 'nope'");
        CliRun missing = CliRun.of("scan", dir.resolve("nope").toString());
        assertThat(missing.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(missing.err()).contains("no such file or directory");
    }

    @Test
    void fixAndOutputNeverOverwriteASource(@TempDir Path dir) throws Exception {
        Path a = Files.writeString(dir.resolve("a.c"), "p = kmalloc(n * sizeof(*p), GFP_KERNEL);\n");
        Path b = Files.writeString(dir.resolve("b.c"), "q = kmalloc(m * sizeof(*q), GFP_KERNEL);\n");
        Path notes = Files.writeString(dir.resolve("notes.txt"), "keep\n");
        byte[] before = Files.readAllBytes(a);
        // --fix takes an optional FILE: here it takes a.c, which must not become a patch.
        CliRun greedy = CliRun.of("scan", "--no-progress", "--fix", a.toString(), b.toString());
        assertThat(greedy.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(greedy.err()).contains("--fix " + a + ": would overwrite a C source")
                .contains("hint: ").contains("--fix -");
        CliRun folder = CliRun.of("scan", "--no-progress", "--fix", dir.toString(), b.toString());
        assertThat(folder.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(folder.err()).contains("is a folder");
        CliRun output = CliRun.of("scan", "--no-progress", "-o", b.toString(), a.toString());
        assertThat(output.code()).isEqualTo(ExitCodes.USAGE);
        CliRun scannedItself = CliRun.of("scan", "--no-progress", "-o", notes.toString(), notes.toString());
        assertThat(scannedItself.err()).contains("that is being scanned");
        assertThat(Files.readAllBytes(a)).isEqualTo(before);
        assertThat(Files.readString(b)).startsWith("q = kmalloc");
        assertThat(Files.readString(notes)).isEqualTo("keep\n");
        // put last, a bare --fix prints the diff
        CliRun last = CliRun.of("scan", "--no-progress", "--kernel-version", "6.1", a.toString(), "--fix");
        assertThat(last.out()).contains("+p = kmalloc_array(n, sizeof(*p), GFP_KERNEL);");
    }

    @Test
    void kernelVersionIsReadFromTheTree(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("Makefile"), "VERSION = 4\nPATCHLEVEL = 17\n");
        Files.writeString(dir.resolve("a.c"), "h = kzalloc(sizeof(*h) + n * sizeof(h->e[0]), G);\n");
        CliRun r = CliRun.of("scan", "--no-progress", "--format", "json", dir.toString());
        assertThat(r.json().get("kernelVersion").asText()).isEqualTo("4.17");
        assertThat(r.json().get("kernelVersionSource").asText()).isEqualTo("tree");
        assertThat(r.json().get("findings").get(0).get("message").asText()).contains("arrived in 4.18");
    }

    static boolean onPath(String tool) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }
}
