package dev.kharden.kernel;

import java.util.Locale;
import java.util.Optional;

/**
 * The architectures kharden's catalogue distinguishes, named as the catalogue spells them. Each knows
 * the kconfig symbol that marks a .config as built for it and the names users type for it.
 */
public enum Arch {
    X86_64("x86_64", "CONFIG_X86_64", "amd64", "x86-64"),
    X86_32("x86_32", "CONFIG_X86_32", "i386", "i686", "x86"),
    ARM64("arm64", "CONFIG_ARM64", "aarch64"),
    ARM("arm", "CONFIG_ARM", "arm32", "armhf"),
    RISCV("riscv", "CONFIG_RISCV", "riscv64");

    private final String id;
    private final String marker;
    private final String[] aliases;

    Arch(String id, String marker, String... aliases) {
        this.id = id;
        this.marker = marker;
        this.aliases = aliases;
    }

    public String id() {
        return id;
    }

    /** The kconfig symbol set to {@code y} in configs for this architecture. */
    public String marker() {
        return marker;
    }

    /** Parses an architecture name as users write it (case-insensitive, common aliases). */
    public static Optional<Arch> parse(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (Arch a : values()) {
            if (a.id.equals(n) || a.name().toLowerCase(Locale.ROOT).equals(n)) {
                return Optional.of(a);
            }
            for (String alias : a.aliases) {
                if (alias.equals(n)) {
                    return Optional.of(a);
                }
            }
        }
        return Optional.empty();
    }

    /** Maps `uname -m` output to an architecture. */
    public static Optional<Arch> fromMachine(String machine) {
        return switch (machine) {
            case "x86_64" -> Optional.of(X86_64);
            case "i386", "i486", "i586", "i686" -> Optional.of(X86_32);
            case "aarch64", "arm64" -> Optional.of(ARM64);
            case "riscv64" -> Optional.of(RISCV);
            default -> machine.startsWith("arm") ? Optional.of(ARM) : Optional.empty();
        };
    }

    public static String names() {
        StringBuilder sb = new StringBuilder();
        for (Arch a : values()) {
            sb.append(sb.isEmpty() ? "" : ", ").append(a.id);
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return id;
    }
}
