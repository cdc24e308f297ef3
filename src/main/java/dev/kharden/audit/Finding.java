package dev.kharden.audit;

import dev.kharden.catalog.Check;
import dev.kharden.catalog.Feature;

/**
 * One check's result on one set of inputs: the rule it came from (check and feature, for ids, bug
 * classes and origin), the desired and actual values as the kernel spells them, and the verdict.
 * {@code actual} is null when the option was not found. {@code waiver} is null unless a person
 * accepted this failure (--waivers): the verdict stays what the kernel earned, but it no longer
 * fails the run.
 */
public record Finding(Check check, Feature feature, String desired, String actual, Verdict verdict, Waiver waiver) {
    /** Why a failing finding was accepted, until when (null: no expiry), and where that was written. */
    public record Waiver(String reason, java.time.LocalDate expires, String source) {
    }

    public Finding(Check check, Feature feature, String desired, String actual, Verdict verdict) {
        this(check, feature, desired, actual, verdict, null);
    }

    public boolean failed() {
        return verdict instanceof Verdict.Fail && waiver == null;
    }

    public boolean waived() {
        return waiver != null;
    }

    public Finding withWaiver(Waiver w) {
        return new Finding(check, feature, desired, actual, verdict, w);
    }
}
