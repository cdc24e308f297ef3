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
        assertThat(KmsgReader.toDmesgLine("6,1,0,-;start")).isEqualTo("[    0.000000] start");
        assertThat(KmsgReader.toDmesgLine("6,2,123456000001,-;late")).isEqualTo("[123456.000001] late");
        assertThat(KmsgReader.toDmesgLine("6,3,x,-;bad time")).isEqualTo("6,3,x,-;bad time");
    }

    /** The bridge and the FFM API read the same records from this machine's kernel log. */
    @Test
    void theBridgeReadsTheKernelLogAsTheFfmPathDoes() throws IOException {
        Path kmsg = Path.of("/dev/kmsg");
        Assumptions.assumeTrue(KmsgDevice.available(), "the JNI bridge is not built here");
        Assumptions.assumeTrue(Files.isReadable(kmsg), "/dev/kmsg is not readable here");
        List<String> viaFfm = KmsgReader.readDeviceFfm(kmsg);
        List<String> viaBridge = KmsgDevice.read(kmsg, 1 << 20);
        Assumptions.assumeTrue(!viaFfm.isEmpty(), "the kernel log is empty");
        // Records may arrive between the two reads: the earlier ones must be the same.
        int n = Math.min(20, Math.min(viaFfm.size(), viaBridge.size()));
        assertThat(viaBridge.subList(0, n)).isEqualTo(viaFfm.subList(0, n));
        assertThat(viaBridge).allSatisfy(r -> assertThat(r).doesNotContain("\n").matches("\\d+,\\d+,\\d+,.*"));
        assertThat(KmsgDevice.read(kmsg, 3)).hasSize(Math.min(3, viaBridge.size()));
    }

    @Test
    void aMissingLogDeviceIsAnErrorNamingIt() {
        Path missing = Path.of("/dev/kharden-no-such-kmsg");
        assertBothPathsRefuse(missing, missing + ": no such file");
    }

    /** A folder where the device should be is named as such, through either path. */
    @Test
    void aFolderInPlaceOfTheLogDeviceIsNamed(@org.junit.jupiter.api.io.TempDir Path dir) {
        assertBothPathsRefuse(dir, dir + ": is a directory, not the kernel log device");
    }

    /** Reading {@code device} fails with {@code message} through FFM and, when built, the bridge. */
    private static void assertBothPathsRefuse(Path device, String message) {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> KmsgReader.readDeviceFfm(device))
                .isInstanceOf(IOException.class).hasMessage(message);
        Assumptions.assumeTrue(KmsgDevice.available(), "the JNI bridge is not built here");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> KmsgDevice.read(device, 10))
                .isInstanceOf(IOException.class).hasMessage(message);
    }

    @Test
    void kallsymsValuesAreZerosOnlyWhenEverySymbolLineIsAllZeros() {
        assertThat(KallsymsCollector.allAddressesZero(bytes("0000000000000000 T _text\n0000000000000000 t x [m]\n"))).isTrue();
        assertThat(KallsymsCollector.allAddressesZero(bytes("0000000000000000 T _text\nffffffff81000000 T y\n"))).isFalse();
        assertThat(KallsymsCollector.allAddressesZero(bytes("ffffffff81000000 T _text"))).isFalse();
        assertThat(KallsymsCollector.allAddressesZero(bytes(""))).isFalse();
        assertThat(KallsymsCollector.allAddressesZero(bytes("no-space-here\n leading space\n"))).isFalse();
        // The first 2000 lines decide: a kernel shows every address or none.
        String zeros = "0000000000000000 T s\n".repeat(2000);
        assertThat(KallsymsCollector.allAddressesZero(bytes(zeros + "ffffffff81000000 T late\n"))).isTrue();
        assertThat(KallsymsCollector.allAddressesZero(bytes(zeros.substring(21) + "ffffffff81000000 T late\n"))).isFalse();
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** A prefetched file reads as the file does, and its failure comes through unchanged. */
    @Test
    void prefetchedFilesReadAsTheFileAndFailTheSameWay(@org.junit.jupiter.api.io.TempDir Path root) throws IOException {
        Files.createDirectories(root.resolve("proc"));
        byte[] data = bytes("ffffffff81000000 T _text\n".repeat(1000));
        Files.write(root.resolve("proc/kallsyms"), data);
        Machine m = new Machine(root);
        m.prefetch("/proc/kallsyms");
        m.prefetch("/proc/absent");
        assertThat(m.read("/proc/kallsyms")).isEqualTo(data);
        Files.write(root.resolve("proc/kallsyms"), bytes("changed"));
        assertThat(m.read("/proc/kallsyms")).isEqualTo(bytes("changed")); // taken once, then read afresh
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> m.read("/proc/absent"))
                .isInstanceOf(java.nio.file.NoSuchFileException.class);
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
