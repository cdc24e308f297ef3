package dev.kharden.fix;

import dev.kharden.kconfig.KernelConfig;
import java.util.Map;

/**
 * Renders a {@link FixPlan} as the three files a person applies: a config fragment for
 * scripts/kconfig/merge_config.sh, a sysctl.d file, and the boot parameters to add and remove.
 */
public final class FixFiles {
    public static final String FRAGMENT = "kharden-hardening.config";
    public static final String SYSCTL = "99-kharden-hardening.conf";
    public static final String CMDLINE = "kharden-cmdline.txt";

    private FixFiles() {
    }

    public static String fragment(FixPlan p, String from) {
        StringBuilder sb = new StringBuilder();
        sb.append("# kharden fix --profile ").append(p.profile()).append(" for ").append(from).append('\n');
        sb.append("# Apply: scripts/kconfig/merge_config.sh -m .config ").append(FRAGMENT)
                .append(" && make olddefconfig; then audit again.\n");
        for (Map.Entry<String, String> e : p.kconfig().entrySet()) {
            if (p.absent().contains(e.getKey())) {
                sb.append("# not in the audited config; Kconfig may drop it (architecture, version or dependencies):\n");
            }
            sb.append(KernelConfig.NOT_SET.equals(e.getValue()) ? "# " + e.getKey() + " is not set"
                    : e.getKey() + "=" + e.getValue()).append('\n');
        }
        return sb.toString();
    }

    public static String sysctl(FixPlan p) {
        StringBuilder sb = new StringBuilder("# kharden fix --profile " + p.profile()
                + ": copy to /etc/sysctl.d/ and run 'sysctl --system'\n");
        p.sysctl().forEach((k, v) -> sb.append(k).append(" = ").append(v).append('\n'));
        return sb.toString();
    }

    public static String cmdline(FixPlan p) {
        StringBuilder sb = new StringBuilder("# kharden fix --profile " + p.profile()
                + ": boot parameters (e.g. GRUB_CMDLINE_LINUX in /etc/default/grub)\n");
        sb.append("add: ").append(String.join(" ", p.bootAdd())).append('\n');
        sb.append("remove: ").append(String.join(" ", p.bootRemove())).append('\n');
        return sb.toString();
    }
}
