package dev.kharden.policy;

import dev.kharden.audit.Finding;
import dev.kharden.audit.Report;
import dev.kharden.catalog.Catalog;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * What a run's findings mean for its exit code: which failures are waived (and which waivers have
 * expired), and which remaining findings fail the run (--fail-on). Security invariant: an expired
 * waiver is never applied, and it fails the run even when the finding it covered now passes, so a
 * stale exception is noticed rather than silently kept.
 */
public final class Policy {
    private final FailOn failOn;
    private final List<Waiver> active = new ArrayList<>();
    private final List<Waiver> expired = new ArrayList<>();

    public Policy(FailOn failOn, List<Waiver> waivers, LocalDate today) {
        this.failOn = failOn;
        for (Waiver w : waivers) {
            (w.expiredOn(today) ? expired : active).add(w);
        }
    }

    /**
     * The policy from the check command's options; bad input throws InputException or
     * IllegalArgumentException. {@code today} is asked only when there are waivers (reading the
     * system time zone costs a cold start several milliseconds).
     */
    public static Policy of(Catalog catalog, String failOnSpec, Path waiverFile, java.util.function.Supplier<LocalDate> today) {
        FailOn f = FailOn.parse(failOnSpec, catalog.profiles().keySet());
        if (waiverFile == null) {
            return new Policy(f, List.of(), LocalDate.EPOCH); // no waiver to date: today's date is not needed
        }
        return new Policy(f, WaiverFile.read(waiverFile, catalog), today.get());
    }

    /** The reports with every failing finding that an active waiver covers marked as waived. */
    public List<Report> apply(List<Report> reports) {
        return active.isEmpty() ? reports : reports.stream().map(this::apply).toList();
    }

    /** One report with every failing finding that an active waiver covers marked as waived. */
    public Report apply(Report r) {
        if (active.isEmpty()) {
            return r;
        }
        List<Finding> fs = new ArrayList<>();
        for (Finding f : r.findings()) {
            Waiver w = f.failed() ? active.stream().filter(x -> x.covers(f)).findFirst().orElse(null) : null;
            fs.add(w == null ? f : f.withWaiver(w.asFindingWaiver()));
        }
        return r.withFindings(fs);
    }

    public List<String> expiredMessages() {
        return expired.stream().map(w -> w.where() + ": waiver for " + w.target() + " expired on " + w.expires()
                + " (" + w.reason() + "); renew it with a new date or fix the finding").toList();
    }

    /** Whether the run fails: an input could not be audited, a finding fails under --fail-on, or a waiver expired. */
    public boolean fails(List<Report> reports) {
        return !expired.isEmpty() || reports.stream().anyMatch(r -> r.error() != null
                || r.findings().stream().anyMatch(failOn::fails));
    }
}
