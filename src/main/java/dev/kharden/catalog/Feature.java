package dev.kharden.catalog;

import dev.kharden.kernel.Arch;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One hardening feature of the catalogue: what it is, the bug classes it defends against, where it
 * comes from, what it costs and breaks, and the checks that tell whether a kernel has it.
 * {@code since}, {@code cost} and {@code breaks} are null when not established.
 */
public record Feature(
        String id,
        List<String> aliases,
        String title,
        String summary,
        String explanation,
        List<String> bugClasses,
        Origin origin,
        String since,
        Set<Arch> arch,
        String cost,
        String breaks,
        List<String> references,
        Map<String, String> profiles,
        List<Check> checks,
        String source) {
}
