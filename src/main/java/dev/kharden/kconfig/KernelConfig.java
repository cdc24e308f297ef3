package dev.kharden.kconfig;

import dev.kharden.input.Warning;
import dev.kharden.kernel.Arch;
import dev.kharden.kernel.KernelVersion;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A parsed kernel .config: option values as written (quotes kept; {@link #NOT_SET} for
 * {@code # CONFIG_X is not set}), the architecture and version it declares, and what the parser
 * warned about.
 */
public record KernelConfig(
        String source,
        Map<String, String> values,
        Optional<Arch> arch,
        Optional<KernelVersion> version,
        List<Warning> warnings) {
    /** The value recorded for {@code # CONFIG_X is not set} lines. */
    public static final String NOT_SET = "is not set";

    public String get(String option) {
        return values.get(option);
    }
}
