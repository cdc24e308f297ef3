package dev.kharden.seal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The kernel-log side of collection: kmsg records, report extraction, build ids. */
class KernelLogTest {
    static Stream<Path> oopsLogs() throws IOException {
        Path dir = Path.of(System.getProperty("kharden.shared", "../shared"), "corpus", "oops");
        Assumptions.assumeTrue(Files.isDirectory(dir), dir + " absent: skipping the oops corpus");
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.toString().endsWith(".txt")).sorted().toList().stream();
        }
    }

    /** Every real report in the corpus is found, and the comment header lines are not part of it. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("oopsLogs")
    void findsTheReportInEveryCorpusLog(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
        List<List<String>> reports = OopsExtractor.extract(lines);
        assertThat(reports).isNotEmpty();
        assertThat(reports.getFirst().getFirst()).doesNotStartWith("#");
        assertThat(reports.stream().mapToInt(List::size).sum()).isGreaterThan(3);
    }

    @Test
    void kmsgRecordsBecomeDmesgLines() {
        assertThat(KmsgReader.toDmesgLine("4,812,5123456,-;WARNING: CPU: 0 PID: 1 at x.c:1 f+0x1/0x2"))
                .isEqualTo("[    5.123456] WARNING: CPU: 0 PID: 1 at x.c:1 f+0x1/0x2");
        assertThat(KmsgReader.toDmesgLine("no record here")).isEqualTo("no record here");
    }

    @Test
    void cutHereAndItsWarningAreOneReportEndingAtEndTrace() {
        List<List<String>> r = OopsExtractor.extract(List.of("boot", "------------[ cut here ]------------",
                "WARNING: CPU: 1 PID: 2 at a.c:3 g+0x0/0x1", "Call Trace:", "---[ end trace 0 ]---", "after",
                "BUG: unable to handle page fault", "RIP: 0010:h+0x1/0x2"));
        assertThat(r).hasSize(2);
        assertThat(r.get(0)).hasSize(4).last().asString().startsWith("---[ end trace");
        assertThat(r.get(1)).containsExactly("BUG: unable to handle page fault", "RIP: 0010:h+0x1/0x2");
    }

    @Test
    void buildIdIsReadFromElfNotes() {
        byte[] xen = {4, 0, 0, 0, 4, 0, 0, 0, 6, 0, 0, 0, 'X', 'e', 'n', 0, 1, 2, 3, 4};
        byte[] gnu = {4, 0, 0, 0, 3, 0, 0, 0, 3, 0, 0, 0, 'G', 'N', 'U', 0, (byte) 0xab, (byte) 0xcd, (byte) 0xef, 0};
        byte[] both = new byte[xen.length + gnu.length];
        System.arraycopy(xen, 0, both, 0, xen.length);
        System.arraycopy(gnu, 0, both, xen.length, gnu.length);
        assertThat(KernelCollector.buildId(both)).isEqualTo("abcdef");
        assertThat(KernelCollector.buildId(xen)).isNull();
        assertThat(KernelCollector.buildId(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f, 0, 0, 0, 0, 3, 0, 0, 0})).isNull();
    }
}
