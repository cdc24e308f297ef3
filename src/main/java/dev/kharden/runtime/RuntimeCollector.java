package dev.kharden.runtime;

import dev.kharden.input.Warning;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Reads the live kernel state that no config shows, below a root folder ("/" normally, a fixture
 * tree in tests), into the runtime values that catalogue checks of type {@code runtime} test.
 * Security invariant: a value that cannot be read (not root, file absent, securityfs not mounted)
 * never becomes a default that could pass a check; it becomes {@link RuntimeValues#unreadable} with
 * the reason, so its checks are {@code unknown}. The keys (docs/runtime.md):
 * <ul>
 * <li>{@code lockdown}: the active lockdown mode ({@code none}, {@code integrity}, {@code confidentiality})
 * <li>{@code lsm}: the active LSMs, comma-separated, in initialisation order
 * <li>{@code cpu.vulnerability.NAME}: {@code not_affected}, {@code mitigated}, {@code vulnerable} or
 *     {@code undetermined}, from each file of /sys/devices/system/cpu/vulnerabilities;
 *     {@code cpu.vulnerability.NAME.text} keeps the kernel's own words
 * <li>{@code tainted}: the taint mask; {@code tainted.flags}: the set flags by name;
 *     {@code tainted.NAME}: {@code 1} or {@code 0} for each flag of {@link Taint#FLAGS}
 * <li>{@code module.sig_enforce}: {@code Y} or {@code N}
 * <li>{@code /proc/...} or {@code /sys/...}: the content of that file, for user rules
 * </ul>
 */
public final class RuntimeCollector {
    static final String VULN_DIR = "sys/devices/system/cpu/vulnerabilities";
    static final String VULN = "cpu.vulnerability.";
    /** Files under /proc and /sys are small; a bigger one is not what we expect to read. */
    private static final int MAX_BYTES = 64 << 10;

    private RuntimeCollector() {
    }

    /**
     * Reads everything kharden knows how to read, plus {@code wanted} keys (those the catalogue tests;
     * each gets a value or the reason it has none). Vulnerable CPU findings that the catalogue has no
     * check for become warnings, so that a new kernel's new vulnerability file is not silently ignored.
     */
    public static Map<String, String> collect(Path root, Collection<String> wanted, List<Warning> warnings) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("lockdown", read(root, "sys/kernel/security/lockdown", RuntimeCollector::activeLockdown,
                "securityfs not mounted or the lockdown LSM not built"));
        values.put("lsm", read(root, "sys/kernel/security/lsm", s -> s.strip(), "securityfs not mounted"));
        values.put("module.sig_enforce", read(root, "sys/module/module/parameters/sig_enforce", String::strip,
                "module signing (CONFIG_MODULE_SIG) not built, or modules disabled"));
        taint(root, values);
        Path vulnDir = dev.kharden.files.Rooted.resolve(root, "/" + VULN_DIR);
        if (Files.isDirectory(vulnDir)) {
            try (Stream<Path> files = Files.list(vulnDir)) {
                for (Path f : files.sorted().toList()) {
                    String name = f.getFileName().toString();
                    String text = read(root, VULN_DIR + "/" + name, String::strip, null);
                    values.put(VULN + name, RuntimeValues.whyUnreadable(text) != null ? text : vulnerabilityStatus(text));
                    values.put(VULN + name + ".text", text);
                }
            } catch (IOException e) {
                warnings.add(new Warning(vulnDir.toString(), 0, "cannot list: " + e.getMessage()));
            }
        }
        for (String key : wanted) {
            if (values.containsKey(key)) {
                continue;
            }
            if (key.startsWith("/proc/") || key.startsWith("/sys/")) {
                values.put(key, read(root, key.substring(1), String::strip, null));
            } else if (key.startsWith(VULN)) {
                values.put(key, RuntimeValues.unreadable(Files.isDirectory(vulnDir)
                        ? "/" + VULN_DIR + "/" + key.substring(VULN.length()) + " not present: this kernel does not report it"
                        : "/" + VULN_DIR + " not present"));
            } else {
                values.put(key, RuntimeValues.unreadable("kharden does not know how to read runtime:" + key
                        + " (runtime keys: docs/runtime.md)"));
            }
        }
        for (Map.Entry<String, String> e : values.entrySet()) {
            if (e.getKey().startsWith(VULN) && !e.getKey().endsWith(".text") && !wanted.contains(e.getKey())
                    && "vulnerable".equals(e.getValue())) {
                warnings.add(new Warning("/" + VULN_DIR + "/" + e.getKey().substring(VULN.length()), 0,
                        "the kernel reports \"" + values.get(e.getKey() + ".text") + "\" (no catalogue check covers it yet)"));
            }
        }
        return values;
    }

    /** The mode in brackets of "none [integrity] confidentiality". */
    static String activeLockdown(String content) {
        int open = content.indexOf('[');
        int close = content.indexOf(']', open + 1);
        if (open < 0 || close < 0) {
            throw new IllegalArgumentException("no mode in brackets: \"" + content.strip() + "\"");
        }
        return content.substring(open + 1, close).strip();
    }

    /**
     * The kernel's own wording reduced to a status a check can test. The kernel prints
     * "Not affected", "Mitigation: ...", "Vulnerable..." (sometimes after "KVM: " or as "Processor
     * vulnerable") or "Unknown: ..."; anything else is undetermined rather than guessed.
     */
    static String vulnerabilityStatus(String text) {
        String t = text.strip().toLowerCase(Locale.ROOT);
        if (t.startsWith("kvm: ")) {
            t = t.substring(5);
        }
        if (t.startsWith("not affected")) {
            return "not_affected";
        }
        if (t.startsWith("mitigation")) {
            return "mitigated";
        }
        if (t.startsWith("vulnerable") || t.startsWith("processor vulnerable")) {
            return "vulnerable";
        }
        return "undetermined";
    }

    private static void taint(Path root, Map<String, String> values) {
        String raw = read(root, "proc/sys/kernel/tainted", String::strip, null);
        long mask;
        try {
            mask = RuntimeValues.whyUnreadable(raw) != null ? -1 : Long.parseUnsignedLong(raw);
        } catch (NumberFormatException e) {
            raw = RuntimeValues.unreadable("/proc/sys/kernel/tainted is not a number: \"" + raw + "\"");
            mask = -1;
        }
        values.put("tainted", raw);
        values.put("tainted.flags", mask < 0 ? raw : String.join(",", Taint.names(mask)));
        for (Taint.Flag f : Taint.FLAGS) {
            values.put("tainted." + f.name(), mask < 0 ? raw : (mask & (1L << f.bit())) != 0 ? "1" : "0");
        }
    }

    /** Reads one file below root and interprets it; failures become an unreadable value with the reason. */
    private static String read(Path root, String rel, java.util.function.Function<String, String> interpret,
            String absentWhy) {
        Path file = dev.kharden.files.Rooted.resolve(root, "/" + rel);
        String shown = "/" + rel;
        try (InputStream in = Files.newInputStream(file)) {
            byte[] data = in.readNBytes(MAX_BYTES + 1);
            if (data.length > MAX_BYTES) {
                return RuntimeValues.unreadable(shown + " is larger than " + MAX_BYTES + " bytes");
            }
            String text = new String(data, StandardCharsets.UTF_8);
            if (text.indexOf('\0') >= 0) {
                return RuntimeValues.unreadable(shown + " holds binary data");
            }
            return interpret.apply(text);
        } catch (NoSuchFileException e) {
            return RuntimeValues.unreadable(shown + " not present" + (absentWhy == null ? "" : " (" + absentWhy + ")"));
        } catch (AccessDeniedException e) {
            return RuntimeValues.unreadable(shown + ": permission denied (run as root)");
        } catch (IOException e) {
            return RuntimeValues.unreadable(shown + ": cannot read: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            return RuntimeValues.unreadable(shown + ": " + e.getMessage());
        }
    }
}
