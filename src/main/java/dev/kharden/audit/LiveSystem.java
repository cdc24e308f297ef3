package dev.kharden.audit;

import dev.kharden.files.Rooted;
import dev.kharden.catalog.Catalog;
import dev.kharden.catalog.Check;
import dev.kharden.catalog.Expr;
import dev.kharden.catalog.Feature;
import dev.kharden.catalog.OptionType;
import dev.kharden.catalog.Predicate;
import dev.kharden.cmdline.Cmdline;
import dev.kharden.cmdline.CmdlineParser;
import dev.kharden.input.InputException;
import dev.kharden.input.TextSource;
import dev.kharden.input.Warning;
import dev.kharden.kconfig.KconfigParser;
import dev.kharden.kconfig.KernelConfig;
import dev.kharden.kernel.Arch;
import dev.kharden.kernel.KernelVersion;
import dev.kharden.runtime.RuntimeCollector;
import dev.kharden.sysctl.SysctlParser;
import dev.kharden.sysctl.Sysctls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Gathers the inputs of a running system below a root folder ("/" normally; a fixture tree in
 * tests): the kernel release, the config from /proc/config.gz, /boot/config-RELEASE or the modules
 * folder, /proc/cmdline, the sysctl keys the catalogue checks, read from /proc/sys, and the runtime
 * state of /sys and /proc ({@link RuntimeCollector}). What cannot
 * be read becomes a warning and leaves that input out (its checks are then unknown), never a crash.
 */
public final class LiveSystem {
    private LiveSystem() {
    }

    /** The collected inputs, the names of what was read, and the warnings raised on the way. */
    public record Collected(Inputs inputs, Map<String, String> names, List<Warning> warnings) {
    }

    public static Collected collect(Path root, Catalog catalog, Arch archOverride, KernelVersion versionOverride) {
        List<Warning> warnings = new ArrayList<>();
        Map<String, String> names = new LinkedHashMap<>();
        String release = readLine(Rooted.resolve(root, "/proc/sys/kernel/osrelease"));
        KernelConfig config = null;
        List<Path> candidates = configCandidates(root);
        for (Path p : candidates) {
            if (Files.isRegularFile(p)) {
                try {
                    config = KconfigParser.parse(p);
                    names.put("config", p.toString());
                    break;
                } catch (InputException e) {
                    warnings.add(new Warning(e.source(), e.line(), e.reason()));
                }
            }
        }
        if (config == null) {
            warnings.add(new Warning(root.toString(), 0, "no kernel config found (looked at " + candidates
                    + "); kconfig checks are unknown: pass --config"));
        }
        Cmdline cmdline = null;
        Path cmdlinePath = Rooted.resolve(root, "/proc/cmdline");
        try {
            cmdline = CmdlineParser.parse(TextSource.read(cmdlinePath));
            names.put("cmdline", cmdlinePath.toString());
        } catch (InputException e) {
            warnings.add(new Warning(e.source(), e.line(), e.reason() + "; boot-parameter checks are unknown"));
        }
        Sysctls sysctls = null;
        Path procSys = Rooted.resolve(root, "/proc/sys");
        if (Files.isDirectory(procSys)) {
            sysctls = SysctlParser.readLive(procSys, keys(catalog, OptionType.SYSCTL));
            names.put("sysctl", procSys.toString());
        } else {
            warnings.add(new Warning(procSys.toString(), 0, "not found; sysctl checks are unknown"));
        }
        Map<String, String> runtime = RuntimeCollector.collect(root, keys(catalog, OptionType.RUNTIME), warnings);
        names.put("runtime", Rooted.resolve(root, "/sys") + ", " + Rooted.resolve(root, "/proc"));
        Arch arch = archOverride;
        if (arch == null && config != null) {
            arch = config.arch().orElse(null);
        }
        if (arch == null) {
            String machine = readLine(Rooted.resolve(root, "/proc/sys/kernel/arch"));
            arch = Arch.fromMachine(machine != null ? machine : System.getProperty("os.arch", "")).orElse(null);
        }
        KernelVersion version = versionOverride;
        if (version == null && release != null) {
            version = KernelVersion.parse(release).orElse(null);
        }
        if (version == null && config != null) {
            version = config.version().orElse(null);
        }
        return new Collected(new Inputs(config, cmdline, sysctls, runtime, arch, version), names, warnings);
    }

    /** Every key of {@code type} the catalogue refers to, in checks and in their conditions. */
    static Set<String> keys(Catalog catalog, OptionType type) {
        Set<String> keys = new TreeSet<>();
        for (Feature f : catalog.features()) {
            for (Check c : f.checks()) {
                if (c.type() == type) {
                    keys.add(c.option());
                }
                List<Expr> all = new ArrayList<>(c.anyOf());
                all.addAll(c.allOf());
                all.addAll(c.requires());
                all.forEach(e -> collect(e, type, keys));
            }
        }
        return keys;
    }

    private static void collect(Expr e, OptionType type, Set<String> keys) {
        switch (e) {
            case Expr.OptionTest t -> {
                if (t.ref().type() == type) {
                    keys.add(t.ref().name());
                }
                if (t.predicate() instanceof Predicate.Compare c && c.bound().ref() != null
                        && c.bound().ref().type() == type) {
                    keys.add(c.bound().ref().name());
                }
            }
            case Expr.Any a -> a.parts().forEach(p -> collect(p, type, keys));
            case Expr.All a -> a.parts().forEach(p -> collect(p, type, keys));
            case Expr.Not n -> collect(n.part(), type, keys);
            case Expr.VersionTest v -> { }
        }
    }

    /**
     * Where the running kernel's config may be, in the order tried: /proc/config.gz
     * (CONFIG_IKCONFIG_PROC), then /boot/config-RELEASE and the modules folder's config.
     */
    public static List<Path> configCandidates(Path root) {
        String release = readLine(Rooted.resolve(root, "/proc/sys/kernel/osrelease"));
        List<Path> candidates = new ArrayList<>();
        candidates.add(Rooted.resolve(root, "/proc/config.gz"));
        if (release != null) {
            candidates.add(Rooted.resolve(root, "/boot/config-" + release));
            candidates.add(Rooted.resolve(root, "/lib/modules/" + release + "/config"));
            candidates.add(Rooted.resolve(root, "/usr/lib/modules/" + release + "/config"));
        }
        return candidates;
    }

    private static String readLine(Path p) {
        try {
            String s = SysctlParser.readProcFile(p).strip();
            return s.isEmpty() ? null : s;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
