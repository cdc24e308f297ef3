package dev.kharden.symbolize;

import dev.kharden.input.InputException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where each loaded module sits in memory: name, base and size from a {@code /proc/modules} copy,
 * optionally refined by the section addresses of {@code /sys/module/<m>/sections/*}. With it an
 * address in a module is attributed to that module even when no module symbols are known, and the
 * last symbol of a module gets an end.
 */
public final class ModuleList {
    /** One loaded module; {@code sections} maps section names ({@code .text}) to addresses. */
    public record Module(String name, long base, long size, Map<String, Long> sections) {
        public Module {
            sections = Map.copyOf(sections);
        }

        /** Whether {@code address} lies in {@code [base, base + size)}. */
        public boolean contains(long address) {
            return Long.compareUnsigned(address, base) >= 0 && Long.compareUnsigned(address - base, size) < 0;
        }
    }

    private static final ModuleList EMPTY = new ModuleList(List.of());
    private final List<Module> modules;

    private ModuleList(List<Module> modules) {
        this.modules = List.copyOf(modules);
    }

    public static ModuleList empty() {
        return EMPTY;
    }

    public static ModuleList of(List<Module> modules) {
        List<Module> sorted = new ArrayList<>(modules);
        sorted.sort(Comparator.comparing(Module::base, Long::compareUnsigned));
        return new ModuleList(sorted);
    }

    public List<Module> modules() {
        return modules;
    }

    public boolean isEmpty() {
        return modules.isEmpty();
    }

    /**
     * Reads a /proc/modules copy: {@code name size refcount deps state address [taints]} per line,
     * e.g. {@code zfs 6479872 6 - Live 0xffffffffc0a00000 (PO)}. All-zero addresses mean it was read
     * without CAP_SYSLOG (or with kptr_restrict=2) and are refused with that explanation.
     */
    public static ModuleList readProcModules(String source, List<String> lines) {
        List<Module> out = new ArrayList<>();
        boolean nonZero = false;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] f = line.split("\\s+");
            if (f.length < 6) {
                throw new InputException(source, i + 1, "expected 'name size refcount deps state address'"
                        + " (a /proc/modules line), found " + f.length + " fields");
            }
            if (!OopsParser.isModuleName(f[0])) {
                throw new InputException(source, i + 1, "not a module name: " + shorten(f[0]));
            }
            long size = number(source, i + 1, f[1], 10, "size");
            String a = f[5];
            if (!a.startsWith("0x")) {
                throw new InputException(source, i + 1, "expected the module address as 0x..., found " + shorten(a));
            }
            long base = number(source, i + 1, a.substring(2), 16, "address");
            nonZero |= base != 0;
            out.add(new Module(f[0], base, size, Map.of()));
        }
        if (!out.isEmpty() && !nonZero) {
            throw InputException.ofFile(source, "every module address is zero: /proc/modules was read without"
                    + " the right to see addresses (kernel.kptr_restrict=2, or 1 without CAP_SYSLOG)");
        }
        return of(out);
    }

    /**
     * Adds section addresses ({@code /sys/module/<m>/sections/<section>}) to the modules named in
     * {@code sections}; modules not in the list are added with the lowest section as base and an
     * unknown (zero) size.
     */
    public ModuleList withSections(Map<String, Map<String, Long>> sections) {
        List<Module> out = new ArrayList<>();
        Map<String, Map<String, Long>> left = new TreeMap<>(sections);
        for (Module m : modules) {
            Map<String, Long> s = left.remove(m.name());
            out.add(s == null ? m : new Module(m.name(), m.base(), m.size(), s));
        }
        left.forEach((name, s) -> {
            long base = s.values().stream().min(Long::compareUnsigned).orElse(0L);
            out.add(new Module(name, base, 0, s));
        });
        return of(out);
    }

    /** The module whose memory contains {@code address}, or null. */
    public Module containing(long address) {
        for (Module m : modules) {
            if (m.contains(address)) {
                return m;
            }
        }
        return null;
    }

    /** The module called {@code name}, or null. */
    public Module named(String name) {
        for (Module m : modules) {
            if (m.name().equals(name)) {
                return m;
            }
        }
        return null;
    }

    private static long number(String source, int line, String s, int radix, String what) {
        try {
            return Long.parseUnsignedLong(s, radix);
        } catch (NumberFormatException e) {
            throw new InputException(source, line, "the " + what + " is not a number: " + shorten(s));
        }
    }

    private static String shorten(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }
}
