package dev.kharden.policy;

import dev.kharden.audit.Finding;
import dev.kharden.audit.Verdict;
import dev.kharden.catalog.Check;
import java.util.Collection;
import java.util.Locale;

/**
 * Which findings fail a run (--fail-on), so that CI can gate on what matters to it. A spec is a
 * comma-separated list of terms that a finding must all meet: a minimum severity ({@code low},
 * {@code medium}, {@code high}), {@code profile:P} (only checks that profile P also requires, e.g.
 * audit against kspp but fail only on what server needs), {@code unknown} (an unknown verdict fails
 * too: strict gates that refuse to pass what they could not see). {@code any} (the default) fails on
 * every failing finding; {@code none} never fails on findings. Waived findings never fail the run.
 */
public record FailOn(Check.Severity minSeverity, String profile, boolean unknownFails, boolean never) {
    public static final FailOn ANY = new FailOn(Check.Severity.LOW, null, false, false);

    /** Parses a spec; throws IllegalArgumentException with a message for a person. */
    public static FailOn parse(String spec, Collection<String> profiles) {
        Check.Severity sev = Check.Severity.LOW;
        String profile = null;
        boolean unknown = false;
        boolean never = false;
        for (String raw : spec.split(",", -1)) {
            String term = raw.strip().toLowerCase(Locale.ROOT);
            switch (term) {
                case "any" -> { }
                case "none" -> never = true;
                case "unknown" -> unknown = true;
                case "low", "medium", "high" -> sev = Check.Severity.valueOf(term.toUpperCase(Locale.ROOT));
                default -> {
                    if (term.startsWith("profile:") && profiles.contains(term.substring(8))) {
                        profile = term.substring(8);
                    } else if (term.startsWith("profile:")) {
                        throw new IllegalArgumentException("--fail-on: unknown profile '" + term.substring(8)
                                + "' (profiles: " + String.join(", ", profiles) + ")");
                    } else {
                        throw new IllegalArgumentException("--fail-on: unknown term '" + raw.strip()
                                + "' (use any, none, unknown, low, medium, high, profile:P; comma-separated)");
                    }
                }
            }
        }
        if (never && spec.split(",").length > 1) {
            throw new IllegalArgumentException("--fail-on: 'none' cannot be combined with other terms ('" + spec
                    + "'): it never fails on findings");
        }
        return new FailOn(sev, profile, unknown, never);
    }

    /** Whether this finding fails the run. Severity order: HIGH is the smallest ordinal. */
    public boolean fails(Finding f) {
        if (never || f.waived()) {
            return false;
        }
        boolean bad = f.verdict() instanceof Verdict.Fail || (unknownFails && f.verdict() instanceof Verdict.Unknown);
        return bad && f.check().severity().compareTo(minSeverity) <= 0
                && (profile == null || f.check().profiles().contains(profile));
    }
}
