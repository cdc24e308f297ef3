package dev.kharden.cli;

import picocli.CommandLine.Command;

/** `kharden livepatch`: groups the live-patch trust subcommands. */
@Command(
        addMethodSubcommands = false,
        name = "livepatch",
        header = "Check live patches against the module-signing policy.",
        mixinStandardHelpOptions = true,
        description = {
            "Live-patch trust: a live patch is a kernel module, and from the outside applying one looks just like "
                    + "installing a rootkit. These commands hold live patches to the module-signing mechanism.",
            ""
        },
        subcommands = {LivepatchCheckCommand.class},
        footerHeading = "%nExamples:%n",
        footer = {"  kharden livepatch check --kernel-release $(uname -r) --kernel /boot/vmlinuz-$(uname -r) fix.ko"})
public final class LivepatchCommand implements java.util.concurrent.Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** Without a subcommand: the group's usage on standard error, and a usage error. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        spec.commandLine().getErr().println("kharden: livepatch needs a subcommand (see above)");
        return ExitCodes.USAGE;
    }
}
