package dev.kharden.cli;

import dev.kharden.catalog.Catalog;
import dev.kharden.kernel.Arch;

/** Checks of option values shared by several commands, each failing as a usage error with a hint. */
final class Args {
    private Args() {
    }

    /** The architecture named by --arch, or null when the option was not given. */
    static Arch arch(String name) {
        return name == null ? null : Arch.parse(name).orElseThrow(() ->
                new UsageException("unknown architecture '" + name + "'", "known: " + Arch.names()));
    }

    static void requireProfile(Catalog catalog, String profile) {
        if (profile != null && !catalog.profiles().containsKey(profile)) {
            throw new UsageException("unknown profile '" + profile + "'",
                    "profiles: " + String.join(", ", catalog.profiles().keySet()));
        }
    }

    static void textOrJson(Format format, String command) {
        if (format != Format.text && format != Format.json) {
            throw new UsageException(command + " supports --format text or json");
        }
    }
}
