package dev.kharden.audit;

import dev.kharden.catalog.Catalog;
import dev.kharden.catalog.Check;
import dev.kharden.catalog.Feature;
import dev.kharden.catalog.Predicate;
import dev.kharden.input.Warning;
import dev.kharden.runtime.RuntimeValues;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Runs every check of a profile over one set of inputs and collects the findings into a report. */
public final class Auditor {
    private final Catalog catalog;

    public Auditor(Catalog catalog) {
        this.catalog = catalog;
    }

    public Report audit(Inputs inputs, String profile, Map<String, String> inputNames) {
        if (!catalog.profiles().containsKey(profile)) {
            throw new IllegalArgumentException("unknown profile " + profile);
        }
        Evaluator ev = new Evaluator(inputs);
        List<Finding> findings = new ArrayList<>();
        for (Feature f : catalog.features()) {
            for (Check c : f.checks()) {
                if (!c.profiles().contains(profile)) {
                    continue;
                }
                Verdict v = ev.check(c, profile);
                findings.add(new Finding(c, f, desired(c.expectFor(profile)), actual(inputs, c), v));
            }
        }
        List<Warning> warnings = new ArrayList<>();
        if (inputs.config() != null) {
            warnings.addAll(inputs.config().warnings());
        }
        if (inputs.cmdline() != null) {
            warnings.addAll(inputs.cmdline().warnings());
        }
        if (inputs.sysctl() != null) {
            warnings.addAll(inputs.sysctl().warnings());
        }
        return new Report(inputs.label(), new LinkedHashMap<>(inputNames), inputs.arch(), inputs.version(), profile,
                List.copyOf(findings), List.copyOf(warnings), null);
    }

    /** The desired value as reports show it: the bare value for equality, the predicate otherwise. */
    static String desired(Predicate p) {
        return p instanceof Predicate.Equals eq ? eq.value().toString() : p.toString();
    }

    private static String actual(Inputs inputs, Check c) {
        if (!inputs.has(c.type())) {
            return null;
        }
        String v = inputs.value(c.ref());
        return RuntimeValues.whyUnreadable(v) == null ? v : null;
    }
}
