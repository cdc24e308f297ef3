package dev.kharden.catalog;

import dev.kharden.kernel.Arch;
import dev.kharden.kernel.KernelVersion;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One check of a kernel setting, as loaded from the catalogue (docs/catalog-format.md). Immutable:
 * rules never change during a run; a run produces findings. {@code arch} empty means all
 * architectures; {@code minVersion}, {@code maxVersion}, {@code khc} and {@code parity} may be null.
 */
public record Check(
        String id,
        String featureId,
        OptionType type,
        String option,
        Predicate expect,
        List<Expr> anyOf,
        List<Expr> allOf,
        List<Expr> requires,
        Set<Arch> arch,
        KernelVersion minVersion,
        KernelVersion maxVersion,
        Set<String> profiles,
        Map<String, Predicate> profileExpect,
        List<Override> overrides,
        Severity severity,
        Khc khc,
        String parity) {

    /** A boot parameter that decides the outcome regardless of the config default. */
    public record Override(Expr when, boolean pass, String reason) {
    }

    /** How kernel-hardening-checker labels the same check (used for parity). */
    public record Khc(String decision, String reason, String desired) {
    }

    public enum Severity {
        HIGH, MEDIUM, LOW;

        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The reference to this check's own option. */
    public Ref ref() {
        return new Ref(type, option);
    }

    /** The expectation this check applies under {@code profile}. */
    public Predicate expectFor(String profile) {
        return profileExpect.getOrDefault(profile, expect);
    }

    public boolean appliesTo(Arch a) {
        return arch.isEmpty() || arch.contains(a);
    }
}
