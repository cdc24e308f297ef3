package dev.kharden.audit;

import dev.kharden.input.Warning;
import dev.kharden.kernel.Arch;
import dev.kharden.kernel.KernelVersion;
import java.util.List;
import java.util.Map;

/**
 * The result of auditing one set of inputs under one profile: what was read, the architecture and
 * version in force, every finding in catalogue order, and the warnings the inputs raised.
 * {@code arch} and {@code version} are null when not known; {@code error} is set (and findings empty)
 * when this input could not be audited at all, so a batch can report it and go on.
 */
public record Report(
        String label,
        Map<String, String> inputs,
        Arch arch,
        KernelVersion version,
        String profile,
        List<Finding> findings,
        List<Warning> warnings,
        String error) {

    public static Report failed(String label, Map<String, String> inputs, String profile, String error) {
        return new Report(label, inputs, null, null, profile, List.of(), List.of(), error);
    }

    /** Findings of this kind, not counting waived ones (they are counted by {@link #waived()}). */
    public long count(Class<? extends Verdict> kind) {
        return findings.stream().filter(f -> kind.isInstance(f.verdict()) && !f.waived()).count();
    }

    public long waived() {
        return findings.stream().filter(Finding::waived).count();
    }

    public Report withFindings(List<Finding> replaced) {
        return new Report(label, inputs, arch, version, profile, List.copyOf(replaced), warnings, error);
    }

    public boolean anyFailed() {
        return error != null || findings.stream().anyMatch(Finding::failed);
    }
}
