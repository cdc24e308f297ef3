package dev.kharden.audit;

import dev.kharden.catalog.Check;
import dev.kharden.catalog.Feature;

/**
 * One check's result on one set of inputs: the rule it came from (check and feature, for ids, bug
 * classes and origin), the desired and actual values as the kernel spells them, and the verdict.
 * {@code actual} is null when the option was not found.
 */
public record Finding(Check check, Feature feature, String desired, String actual, Verdict verdict) {
    public boolean failed() {
        return verdict instanceof Verdict.Fail;
    }
}
