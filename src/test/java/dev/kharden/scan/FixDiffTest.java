package dev.kharden.scan;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The --fix diff: hunks at the right lines however many edits a file has, on one line or many. */
class FixDiffTest {
    private static final String CALL = "p = kmalloc(n * 8, 0);";
    private static final String FIXED = "p = kmalloc_array(n, 8, 0);";

    private static String diff(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        FileResult r = new CFileScanner(ScanOptions.defaults(KernelVersion.DEFAULT)).scan("a.c", bytes);
        assertThat(r.findings()).allSatisfy(f -> assertThat(f.edits()).isNotEmpty());
        return new String(FixDiff.forFile("a.c", bytes, r.findings()), StandardCharsets.UTF_8);
    }

    @Test
    void manyEditsFarApartEachGetAHunkAtTheirLine() {
        StringBuilder file = new StringBuilder();
        StringBuilder want = new StringBuilder("--- a/a.c\n+++ b/a.c\n");
        int lines = 5000;
        for (int line = 1; line <= lines; line++) {
            boolean call = line % 10 == 0;
            file.append(call ? CALL : "x = 1;").append('\n');
            if (call) {
                int first = line - 3;
                int last = Math.min(lines, line + 3);
                int len = last - first + 1;
                want.append("@@ -").append(first).append(',').append(len)
                        .append(" +").append(first).append(',').append(len).append(" @@\n");
                want.append(" x = 1;\n".repeat(3)).append('-').append(CALL).append("\n+").append(FIXED).append('\n');
                want.append(" x = 1;\n".repeat(last - line));
            }
        }
        assertThat(diff(file.toString())).isEqualTo(want.toString());
    }

    @Test
    void manyEditsOnOneLongLineAreOneHunk() {
        int calls = 3000;
        String diff = diff("int a;\n" + CALL.repeat(calls) + "\nint b;\n");
        assertThat(diff).isEqualTo("--- a/a.c\n+++ b/a.c\n@@ -1,3 +1,3 @@\n int a;\n-" + CALL.repeat(calls) + "\n+"
                + FIXED.repeat(calls) + "\n int b;\n");
    }

    @Test
    void editsOnNeighbouringLinesMergeIntoOneHunk() {
        // Six unchanged lines between two edits: their contexts touch, one hunk.
        String diff = diff(String.join("\n", List.of(CALL, "x = 1;", CALL, "", "", "", "", "", "", CALL)) + "\n");
        assertThat(diff).isEqualTo("--- a/a.c\n+++ b/a.c\n@@ -1,10 +1,10 @@\n-" + CALL + "\n+" + FIXED + "\n x = 1;\n-"
                + CALL + "\n+" + FIXED + "\n \n \n \n \n \n \n-" + CALL + "\n+" + FIXED + "\n");
    }
}
