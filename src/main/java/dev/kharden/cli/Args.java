package dev.kharden.cli;

import dev.kharden.catalog.Catalog;
import dev.kharden.kernel.Arch;

/** Checks of option values shared by several commands, each failing as a usage error with a hint. */
final class Args {
    private Args() {
    }

    /** The architecture named by --arch, or null when the option was not given. */
    /** Most threads --jobs may ask for: each holds buffers, and no machine kharden runs on has more cores. */
    static final int MAX_JOBS = 256;

    /** The --jobs value: {@code dflt} when not given; 1 to {@link #MAX_JOBS}, else a usage error. */
    static int jobs(Integer jobs, int dflt) {
        if (jobs == null) {
            return dflt;
        }
        if (jobs < 1 || jobs > MAX_JOBS) {
            throw new UsageException("--jobs " + jobs + " is out of range: give 1 to " + MAX_JOBS,
                    "leave it out for one per core (" + Runtime.getRuntime().availableProcessors() + " here)");
        }
        return jobs;
    }

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
