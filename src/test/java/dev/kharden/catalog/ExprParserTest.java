package dev.kharden.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ExprParserTest {
    @ParameterizedTest
    @ValueSource(strings = {
        "CONFIG_A = y",
        "CONFIG_A is not set",
        "cmdline:init_on_alloc = 1",
        "sysctl:vm.mmap_min_addr >= 65536",
        "CONFIG_ARCH_MMAP_RND_BITS >= $CONFIG_ARCH_MMAP_RND_BITS_MAX",
        "any(CONFIG_A = y, version >= 5.4.208)",
        "all(CONFIG_B is not set, not(cmdline:mitigations = off))",
        "CONFIG_LSM has yama",
        "cmdline:mitigations = \"auto,nosmt\"",
        "runtime:lockdown is not off",
        "sysctl:kernel.x is absent",
        "CONFIG_X is present",
        "CONFIG_X != m"
    })
    void parsesAndPrintsBackTheSameText(String text) {
        Expr e = ExprParser.expr(text);
        assertThat(e.toString()).isEqualTo(text);
        assertThat(ExprParser.expr(e.toString())).isEqualTo(e);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "CONFIG_A", "A = y", "any(CONFIG_A = y", "CONFIG_A >= yes", "version >= five",
        "CONFIG_A is maybe", "not(CONFIG_A = y, CONFIG_B = y)", "CONFIG_A = y extra", "cmdline:x = \"open"})
    void rejectsMalformedExpressionsWithPosition(String text) {
        assertThatThrownBy(() -> ExprParser.expr(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("column");
    }
}
