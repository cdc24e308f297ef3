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

    /**
     * Refuses an output file that is one of the run's own input files, or a file inside a folder given
     * as input ({@code check --config a.config -o a.config} replaced the config with its report;
     * {@code modsig sign ... m.ko key.pem} replaced the private key with the signed module).
     */
    /** Whether {@code p} is {@code -}, the command line's name for standard input or output. */
    static boolean isDash(java.nio.file.Path p) {
        return p != null && p.toString().equals("-");
    }

    /**
     * Refuses {@code -} for an output that cannot be standard output (a folder, a binary file): it
     * would otherwise become a file or folder named "-" in the current folder.
     */
    static void notStandardOutput(String option, java.nio.file.Path output, String why, String hint) {
        if (isDash(output)) {
            throw new UsageException(option + " -: " + why, hint);
        }
    }

    static void notAnInput(String option, java.nio.file.Path output, java.util.Collection<java.nio.file.Path> inputs) {
        if (isAnyOf(output, inputs)) {
            throw new UsageException(option + " " + output + " is also an input of this run; refusing to overwrite it",
                    "write the output to another file");
        }
    }

    /** Whether {@code output} exists and is the same file as one of {@code inputs} (by name or link). */
    static boolean isAnyOf(java.nio.file.Path output, java.util.Collection<java.nio.file.Path> inputs) {
        if (output == null || !java.nio.file.Files.exists(output)) {
            return false;
        }
        for (java.nio.file.Path in : inputs) {
            try {
                if (in == null || !java.nio.file.Files.exists(in)) {
                    continue;
                }
                if (java.nio.file.Files.isSameFile(output, in)) {
                    return true;
                }
                // A folder of inputs (check --config configs/) reads the files in it: one of them is an input too.
                if (java.nio.file.Files.isDirectory(in)
                        && output.toRealPath().startsWith(in.toRealPath()) && java.nio.file.Files.isRegularFile(output)) {
                    return true;
                }
            } catch (java.io.IOException e) {
                // cannot tell: the input is reported when it is read
            }
        }
        return false;
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
