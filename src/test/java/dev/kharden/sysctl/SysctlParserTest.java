package dev.kharden.sysctl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kharden.input.TextSource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SysctlParserTest {
    static Sysctls parse(String text) {
        return SysctlParser.parse(TextSource.fromBytes("s.txt", text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void readsSysctlOutputWithPermissionDeniedLines() {
        Sysctls s = parse("kernel.printk = 4\t4\t1\t7\nkernel/kptr_restrict=1\n"
                + "sysctl: permission denied on key 'fs.protected_regular'\nkernel.kptr_restrict = 2\nnonsense\n");
        assertThat(s.get("kernel.kptr_restrict")).isEqualTo("2");
        assertThat(s.get("fs.protected_regular")).isEqualTo(Sysctls.DENIED);
        assertThat(s.get("kernel.printk")).isEqualTo("4\t4\t1\t7");
        assertThat(s.warnings()).singleElement().satisfies(w -> assertThat(w.line()).isEqualTo(5));
    }

    @Test
    void warnsWhenTheDumpLooksIncompleteAndRejectsEmptyOnes() {
        assertThat(parse("vm.swappiness = 60\n").warnings()).anyMatch(w -> w.message().contains("kernel.printk"));
        assertThatThrownBy(() -> parse("")).hasMessageContaining("empty");
        assertThatThrownBy(() -> parse("just words\n")).hasMessageContaining("no 'key = value' lines");
    }

    @Test
    void readsMultiDigitValuesFromTheRealProcSys() throws Exception {
        Path file = Path.of("/proc/sys/vm/mmap_min_addr");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(file), "no /proc/sys here: skipping");
        Process cat = new ProcessBuilder("cat", file.toString()).start();
        String expected = new String(cat.getInputStream().readAllBytes()).strip();
        assertThat(cat.waitFor()).isZero();
        // sysctl files answer reads at a non-zero offset with EOF: a small first read would give "4" for 4096
        Sysctls s = SysctlParser.readLive(Path.of("/proc/sys"), List.of("vm.mmap_min_addr"));
        assertThat(s.get("vm.mmap_min_addr")).isEqualTo(expected);
    }

    @Test
    void readsLiveValuesFromAProcSysTree(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("kernel"));
        Files.writeString(root.resolve("kernel/kptr_restrict"), "1\n");
        Path denied = Files.writeString(root.resolve("kernel/secret"), "0\n");
        denied.toFile().setReadable(false);
        Sysctls s = SysctlParser.readLive(root, List.of("kernel.kptr_restrict", "kernel.absent", "kernel.secret"));
        assertThat(s.get("kernel.kptr_restrict")).isEqualTo("1");
        assertThat(s.values()).doesNotContainKey("kernel.absent");
        // root can read unreadable files; elsewhere the key must come back as denied
        assertThat(s.get("kernel.secret")).isIn("0", Sysctls.DENIED);
    }
}
