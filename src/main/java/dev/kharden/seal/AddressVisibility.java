package dev.kharden.seal;

/**
 * Explains why kernel addresses read as zeros. kallsyms, /proc/modules and the module section files
 * print 0 unless kallsyms_show_value() allows the reader, decided at open(): kptr_restrict=2 hides
 * them from everyone, root included; kptr_restrict=1 (or 0 with perf_event_paranoid above 1) needs
 * CAP_SYSLOG. The reason is written into the manifest so support does not chase a broken collector.
 */
final class AddressVisibility {
    private static final int CAP_SYSLOG = 34;

    private AddressVisibility() {
    }

    /** A sentence saying why addresses are hidden on {@code machine}, with what to do about it. */
    static String whyHidden(Machine machine) {
        String kptr = machine.readTrimmed("/proc/sys/kernel/kptr_restrict");
        String paranoid = machine.readTrimmed("/proc/sys/kernel/perf_event_paranoid");
        Boolean capSyslog = hasCapSyslog(machine);
        if ("2".equals(kptr)) {
            return "kernel.kptr_restrict=2 hides kernel addresses from every reader, root included; to seal them, "
                    + "set kernel.kptr_restrict=1 for the collection and run kharden seal as root (CAP_SYSLOG)";
        }
        if (Boolean.FALSE.equals(capSyslog)) {
            return "this process lacks CAP_SYSLOG (kernel.kptr_restrict=" + (kptr == null ? "?" : kptr)
                    + ", kernel.perf_event_paranoid=" + (paranoid == null ? "?" : paranoid)
                    + "); run kharden seal as root";
        }
        return "addresses read as zeros although kernel.kptr_restrict=" + (kptr == null ? "?" : kptr)
                + " and CAP_SYSLOG is " + (capSyslog == null ? "unknown" : "held")
                + "; a security module (lockdown, SELinux) may be hiding them";
    }

    /** Whether the effective capability set of this process has CAP_SYSLOG; null if unknown. */
    static Boolean hasCapSyslog(Machine machine) {
        String status = machine.readTrimmed("/proc/self/status");
        if (status == null) {
            return null;
        }
        for (String line : status.split("\n")) {
            if (line.startsWith("CapEff:")) {
                try {
                    long caps = Long.parseUnsignedLong(line.substring(7).strip(), 16);
                    return ((caps >>> CAP_SYSLOG) & 1) != 0;
                } catch (NumberFormatException e) {
                    return null;
                }
            }
        }
        return null;
    }
}
