package dev.kharden.catalog;

import java.util.Locale;

/** The kinds of kernel setting a check can look at, named as findings and the catalogue spell them. */
public enum OptionType {
    KCONFIG, CMDLINE, SYSCTL, RUNTIME;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static OptionType parse(String s) {
        for (OptionType t : values()) {
            if (t.id().equals(s)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown check type '" + s + "' (kconfig, cmdline, sysctl, runtime)");
    }

    /** The input a person passes to provide settings of this type. */
    public String inputName() {
        return switch (this) {
            case KCONFIG -> "kernel config (--config)";
            case CMDLINE -> "boot command line (--cmdline)";
            case SYSCTL -> "sysctl values (--sysctl)";
            case RUNTIME -> "live system state";
        };
    }
}
