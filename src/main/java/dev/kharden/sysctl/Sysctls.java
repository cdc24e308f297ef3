package dev.kharden.sysctl;

import dev.kharden.input.Warning;
import java.util.List;
import java.util.Map;

/**
 * Sysctl values, from `sysctl -a` output or read from /proc/sys. Keys that could not be read carry
 * {@link #DENIED}; a check on such a key is unknown, not failed.
 */
public record Sysctls(String source, Map<String, String> values, List<Warning> warnings) {
    /** The value recorded for keys that could not be read (sysctl's "permission denied"). */
    public static final String DENIED = "permission denied";

    public String get(String key) {
        return values.get(key);
    }
}
