package dev.kharden.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kharden.input.InputException;
import dev.kharden.kconfig.KconfigParser;
import dev.kharden.kconfig.KernelConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The early parse of a one-config `kharden check` gives exactly what parsing at run time gives. */
class ConfigPrefetchTest {
    @TempDir
    Path tmp;

    private Path config(String name, String text) throws Exception {
        return Files.writeString(tmp.resolve(name), text);
    }

    @Test
    void theOneConfigIsParsedEarlyAndHandedOutOnce() throws Exception {
        Path cfg = config("a.config", "# Linux/x86 6.1.0 Kernel Configuration\nCONFIG_X86_64=y\nCONFIG_A=y\nCONFIG_A=m\n");
        ConfigPrefetch.start(new String[] {"check", "--config", cfg.toString(), "--format", "json"});
        assertThat(ConfigPrefetch.pending()).isEqualTo(cfg);
        KernelConfig early = ConfigPrefetch.parse(cfg);
        assertThat(ConfigPrefetch.pending()).isNull();
        KernelConfig now = KconfigParser.parse(cfg);
        assertThat(early.values()).isEqualTo(now.values());
        assertThat(early.warnings()).isEqualTo(now.warnings());
        assertThat(early.version()).isEqualTo(now.version());
        assertThat(ConfigPrefetch.parse(cfg).values()).isEqualTo(now.values()); // afterwards: parsed afresh
    }

    @Test
    void theEqualsFormCountsAndOtherPathsAreParsedAsUsual() throws Exception {
        Path cfg = config("b.config", "CONFIG_X86_64=y\n");
        Path other = config("c.config", "CONFIG_ARM64=y\n");
        ConfigPrefetch.start(new String[] {"check", "--config=" + cfg});
        assertThat(ConfigPrefetch.pending()).isEqualTo(cfg);
        assertThat(ConfigPrefetch.parse(other).values()).containsKey("CONFIG_ARM64"); // not the prefetched file
        assertThat(ConfigPrefetch.parse(cfg).values()).containsKey("CONFIG_X86_64");
    }

    @Test
    void noGuessForSeveralConfigsFoldersOrMissingFiles() throws Exception {
        Path a = config("d.config", "CONFIG_X86_64=y\n");
        for (String[] args : new String[][] {
            {"check", "--config", a.toString(), "--config", a.toString()},
            {"check", "--config", tmp.toString()},
            {"check", "--config", tmp.resolve("missing.config").toString()},
            {"check", "--config"},
            {"check", "--", "--config", a.toString()},
        }) {
            ConfigPrefetch.start(args);
            assertThat(ConfigPrefetch.pending()).as(String.join(" ", args)).isNull();
        }
    }

    @Test
    void aBadConfigFailsWithTheParsersOwnError() throws Exception {
        Path bin = tmp.resolve("bin.config");
        Files.write(bin, new byte[] {'C', 0, 1, 2});
        String direct = null;
        try {
            KconfigParser.parse(bin);
        } catch (InputException e) {
            direct = e.getMessage();
        }
        ConfigPrefetch.start(new String[] {"check", "--config", bin.toString()});
        assertThatThrownBy(() -> ConfigPrefetch.parse(bin)).isInstanceOf(InputException.class).hasMessage(direct);
    }
}
