package dev.kharden.audit;

import dev.kharden.files.Rooted;
import dev.kharden.catalog.Catalog;
import dev.kharden.catalog.OptionType;
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
            sysctls = SysctlParser.readLive(procSys, catalog.optionKeys(OptionType.SYSCTL));
            names.put("sysctl", procSys.toString());
        } else {
            warnings.add(new Warning(procSys.toString(), 0, "not found; sysctl checks are unknown"));
        }
        Map<String, String> runtime = RuntimeCollector.collect(root, catalog.optionKeys(OptionType.RUNTIME), warnings);
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
