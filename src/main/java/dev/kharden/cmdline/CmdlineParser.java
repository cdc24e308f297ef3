package dev.kharden.cmdline;

import dev.kharden.input.InputException;
import dev.kharden.input.TextSource;
import dev.kharden.input.Warning;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Parses /proc/cmdline: one line of space-separated {@code name[=value]} words, the last duplicate
 * winning as in the kernel. Values of parameters the kernel reads with kstrtobool() are normalised
 * (on/yes/y/t/true to 1, off/no/n/f/false to 0); parameters that take words keep their text.
 */
public final class CmdlineParser {
    /** Parameters whose kernel parser does not use kstrtobool(), so "off" and "0" differ. */
    static final Set<String> WORD_VALUED = Set.of("debugfs", "mitigations", "pti", "spectre_v2",
            "spectre_v2_user", "spectre_bhi", "spec_store_bypass_disable", "l1tf", "mds", "tsx_async_abort",
            "srbds", "mmio_stale_data", "retbleed", "rodata", "ssbd", "spec_rstack_overflow",
            "gather_data_sampling", "reg_file_data_sampling", "tsa", "indirect_target_selection", "vmscape",
            "slub_debug", "iommu", "vsyscall", "vdso32", "vdso", "cfi", "tsx", "lockdown", "intel_iommu",
            "amd_iommu", "efi", "hash_pointers", "ipv6.disable", "proc_mem.force_override");

    private CmdlineParser() {
    }

    public static Cmdline parse(Path path) {
        return parse(TextSource.read(path));
    }

    public static Cmdline parse(TextSource text) {
        String src = text.name();
        List<Warning> warnings = new ArrayList<>();
        String line = null;
        int n = 0;
        for (String l : text.lines()) {
            n++;
            if (l.isBlank()) {
                continue;
            }
            if (line != null) {
                throw new InputException(src, n, "a kernel command line is one line; found a second one");
            }
            line = l;
        }
        if (line == null) {
            throw InputException.ofFile(src, "is empty; expected the contents of /proc/cmdline");
        }
        Map<String, String> values = new HashMap<>();
        for (String word : line.strip().split("\\s+")) {
            if (word.equals("--")) {
                break; // everything after a bare "--" is passed to init, not to the kernel
            }
            int eq = word.indexOf('=');
            String name = eq < 0 ? word : word.substring(0, eq);
            String value = eq < 0 ? "" : word.substring(eq + 1);
            if (name.isEmpty()) {
                warnings.add(new Warning(src, 1, "ignored a word without a name: " + word));
                continue;
            }
            if (values.put(name, normalise(name, value)) != null) {
                warnings.add(new Warning(src, 1, "parameter " + name + " is given more than once; the last wins"));
            }
        }
        return new Cmdline(src, Map.copyOf(values), List.copyOf(warnings));
    }

    /** Applies the kernel's kstrtobool() spelling rules unless the parameter takes words. */
    static String normalise(String name, String value) {
        if (WORD_VALUED.contains(name)) {
            return value;
        }
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "1", "on", "y", "yes", "t", "true" -> "1";
            case "0", "off", "n", "no", "f", "false" -> "0";
            default -> value;
        };
    }
}
