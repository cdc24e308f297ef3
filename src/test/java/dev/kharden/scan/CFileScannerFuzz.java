package dev.kharden.scan;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The scanner on arbitrary bytes: it returns a result for the file (findings, a skip or an error
 * with a reason) and never throws, never crashes the JVM in the native parser, never reports a
 * position outside the file.
 */
class CFileScannerFuzz {
    private static final String[] SEEDS = {
        "p = kmalloc(n * sizeof(*p), GFP_KERNEL);",
        "#define A(n) vzalloc((n) * \\\n (m))\n",
        "x = kzalloc(sizeof(*x) + n * sizeof(x->a[0]), G);",
        "memcpy(d, s, n * m * 4);",
    };

    @FuzzTest(maxDuration = "15s")
    void scansAnyBytes(FuzzedDataProvider data) {
        String seed = SEEDS[data.consumeInt(0, SEEDS.length - 1)];
        boolean macrosAsVariables = data.consumeBoolean();
        byte[] tail = data.consumeRemainingAsBytes();
        byte[] bytes = new byte[seed.length() + tail.length];
        System.arraycopy(seed.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1), 0, bytes, 0, seed.length());
        System.arraycopy(tail, 0, bytes, seed.length(), tail.length);
        ScanOptions o = ScanOptions.defaults(KernelVersion.DEFAULT).withMacrosAsVariables(macrosAsVariables);
        FileResult r = new CFileScanner(o).scan("fuzz.c", bytes);
        assertThat(r).isNotNull();
        if (r.status() != FileResult.Status.SCANNED) {
            assertThat(r.reason()).isNotBlank();
        }
        for (Finding f : r.findings()) {
            assertThat(f.line()).isBetween(1, bytes.length + 1);
            assertThat(f.column()).isPositive();
            for (Finding.Edit e : f.edits()) {
                assertThat(e.start()).isBetween(0, bytes.length);
                assertThat(e.end()).isBetween(e.start(), bytes.length);
            }
            // The diff of whatever was found must build without throwing.
            FixDiff.forFile("fuzz.c", bytes, r.findings());
        }
    }
}
