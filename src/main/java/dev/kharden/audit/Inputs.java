package dev.kharden.audit;

import dev.kharden.catalog.OptionType;
import dev.kharden.catalog.Ref;
import dev.kharden.cmdline.Cmdline;
import dev.kharden.kconfig.KernelConfig;
import dev.kharden.kernel.Arch;
import dev.kharden.kernel.KernelVersion;
import dev.kharden.sysctl.Sysctls;
import java.util.Map;

/**
 * Everything one audit looks at: any of a kernel config, a command line, sysctl values and runtime
 * state (each may be null: checks on a missing input are unknown), plus the architecture and kernel
 * version in force (null when not known).
 */
public record Inputs(
        KernelConfig config,
        Cmdline cmdline,
        Sysctls sysctl,
        Map<String, String> runtime,
        Arch arch,
        KernelVersion version) {

    public boolean has(OptionType type) {
        return switch (type) {
            case KCONFIG -> config != null;
            case CMDLINE -> cmdline != null;
            case SYSCTL -> sysctl != null;
            case RUNTIME -> runtime != null;
        };
    }

    /** The raw value of a setting, or null when it is absent (or its input was not given). */
    public String value(Ref ref) {
        return switch (ref.type()) {
            case KCONFIG -> config == null ? null : config.get(ref.name());
            case CMDLINE -> cmdline == null ? null : cmdline.get(ref.name());
            case SYSCTL -> sysctl == null ? null : sysctl.get(ref.name());
            case RUNTIME -> runtime == null ? null : runtime.get(ref.name());
        };
    }

    /** A short name for reports: the config's file name, else the other inputs'. */
    public String label() {
        if (config != null) {
            return config.source();
        }
        if (cmdline != null) {
            return cmdline.source();
        }
        if (sysctl != null) {
            return sysctl.source();
        }
        return "running system";
    }
}
