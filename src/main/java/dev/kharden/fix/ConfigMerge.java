package dev.kharden.fix;

import dev.kharden.kconfig.KernelConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Applies a config fragment to a parsed config the way scripts/kconfig/merge_config.sh does before
 * Kconfig runs: a later value of an option replaces the earlier one, {@code is not set} included.
 * It does not resolve Kconfig dependencies; that is why the plan reports options absent from the
 * config separately.
 */
public final class ConfigMerge {
    private ConfigMerge() {
    }

    public static KernelConfig apply(KernelConfig base, Map<String, String> fragment) {
        Map<String, String> values = new LinkedHashMap<>(base.values());
        values.putAll(fragment);
        return new KernelConfig(base.source(), Map.copyOf(values), base.arch(), base.version(), base.warnings());
    }
}
