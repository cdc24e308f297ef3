package dev.kharden.fix;

import java.util.List;
import java.util.Map;

/**
 * What closes an audit's gap under one profile: config options to set ({@link #kconfig}, value as a
 * .config writes it, {@code "is not set"} for {@code # CONFIG_X is not set}), sysctls to set, boot
 * parameters to add and to remove, and what config, sysctls and boot parameters alone cannot close.
 * {@code absent} lists options the fragment sets that the audited config does not mention at all:
 * they may not exist for its architecture or version, or depend on options that are off, and
 * Kconfig (merge_config.sh, then olddefconfig) may drop them.
 */
public record FixPlan(
        String profile,
        Map<String, String> kconfig,
        Map<String, String> sysctl,
        List<String> bootAdd,
        List<String> bootRemove,
        List<Unresolved> unresolved,
        List<String> absent) {

    /** A failing check the plan does not close, and why. */
    public record Unresolved(String checkId, String option, String why) {
    }
}
