package dev.kharden.cmdline;

import dev.kharden.input.Warning;
import java.util.List;
import java.util.Map;

/**
 * A parsed kernel command line: parameter values after the kernel's own boolean normalisation
 * (flags without a value have the value ""), and the warnings parsing raised.
 */
public record Cmdline(String source, Map<String, String> values, List<Warning> warnings) {
    public String get(String name) {
        return values.get(name);
    }
}
