package dev.kharden.cli;

import picocli.CommandLine.Command;

/** The root command; its subcommands are registered in {@link Commands}, one class each in this package. */
@Command(
        addMethodSubcommands = false,
        name = "kharden",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = {
            "Linux kernel hardening: catalogue, audit, module trust, sealed diagnostics, overflow scan.",
            ""
        },
        footerHeading = "%nExit codes:%n",
        footer = {
            "  0  nothing failed",
            "  1  something failed (a check, a signature, a finding)",
            "  2  usage error or bad input",
            "  3  internal error (a bug: please report it)",
            "",
            "Run 'kharden help COMMAND' for a command's options and examples."
        })
public final class KhardenCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
