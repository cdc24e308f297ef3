package dev.kharden.kconfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kharden.input.InputException;
import dev.kharden.input.TextSource;
import dev.kharden.kernel.Arch;
import dev.kharden.kernel.KernelVersion;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KconfigParserTest {
    static KernelConfig parse(String text) {
        return KconfigParser.parse(TextSource.fromBytes("t.config", text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void readsValuesNotSetLinesArchAndVersion() {
        KernelConfig c = parse("# Linux/arm64 6.1.55 Kernel Configuration\nCONFIG_ARM64=y\nCONFIG_LSM=\"a,b\"\n"
                + "# CONFIG_DEVMEM is not set\nCONFIG_NR=0x10\n");
        assertThat(c.get("CONFIG_LSM")).isEqualTo("\"a,b\"");
        assertThat(c.get("CONFIG_DEVMEM")).isEqualTo(KernelConfig.NOT_SET);
        assertThat(c.get("CONFIG_MISSING")).isNull();
        assertThat(c.arch()).contains(Arch.ARM64);
        assertThat(c.version()).contains(new KernelVersion(6, 1, 55));
        assertThat(c.warnings()).isEmpty();
    }

    @Test
    void unexpectedLinesAndDuplicatesAreWarningsWithLineNumbers() {
        KernelConfig c = parse("CONFIG_X86_64=y\ngarbage here\nCONFIG_A=y\nCONFIG_A=m\nCONFIG_bad-name=1\n");
        assertThat(c.get("CONFIG_A")).isEqualTo("m");
        assertThat(c.warnings()).extracting(w -> w.line()).containsExactly(2, 4, 5);
        assertThat(c.warnings().get(0).toString()).startsWith("t.config:2: unexpected line");
    }

    @Test
    void emptyOrOptionlessFilesAreErrors() {
        assertThatThrownBy(() -> parse("")).isInstanceOf(InputException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> parse("# just a comment\n")).hasMessageContaining("no CONFIG_ options");
        assertThatThrownBy(() -> parse("hello\nworld\n")).hasMessageContaining("no CONFIG_ options");
    }

    @Test
    void gzipIsTransparentAndTruncationIsAnError(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(buf)) {
            gz.write("CONFIG_RISCV=y\nCONFIG_A=y\n".repeat(200).getBytes(StandardCharsets.UTF_8));
        }
        byte[] gz = buf.toByteArray();
        Path ok = Files.write(dir.resolve("config.gz"), gz);
        assertThat(KconfigParser.parse(ok).arch()).contains(Arch.RISCV);
        Path cut = Files.write(dir.resolve("cut.gz"), java.util.Arrays.copyOf(gz, gz.length / 2));
        assertThatThrownBy(() -> KconfigParser.parse(cut)).isInstanceOf(InputException.class)
                .hasMessageContaining("truncated or corrupt");
    }

    @Test
    void binaryMissingAndFolderInputsAreNamedErrors(@TempDir Path dir) throws Exception {
        Path bin = Files.write(dir.resolve("bin"), new byte[] {0x7f, 'E', 'L', 'F', 0, 1, 2});
        assertThatThrownBy(() -> KconfigParser.parse(bin)).hasMessage(bin + ": is a binary file, not text");
        assertThatThrownBy(() -> KconfigParser.parse(dir.resolve("nope"))).hasMessageEndingWith("no such file");
        assertThatThrownBy(() -> KconfigParser.parse(dir)).hasMessageContaining("is a directory");
    }

    @Test
    void severalArchitecturesLeaveArchUnknown() {
        KernelConfig c = parse("CONFIG_X86_64=y\nCONFIG_ARM64=y\n");
        assertThat(c.arch()).isEmpty();
        assertThat(c.warnings()).anyMatch(w -> w.message().contains("several architectures"));
    }
}
