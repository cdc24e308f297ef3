package dev.kharden.cli;

import picocli.CommandLine.Command;

/**
 * `kharden modsig`: groups the module-signature subcommands; each lives in its own class and is
 * registered in {@link Commands#GROUPS}, so that a run builds the model of its one subcommand only.
 */
@Command(
        addMethodSubcommands = false,
        name = "modsig",
        header = "Inspect, verify and sign kernel modules as the kernel does.",
        mixinStandardHelpOptions = true,
        description = {
            "Inspect, verify and sign kernel modules (.ko, .ko.gz, .ko.xz, .ko.zst) exactly as the kernel checks "
                    + "their appended PKCS#7 signatures, and extract the built-in trusted keys from a kernel image.",
            ""
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  kharden modsig certs /boot/vmlinuz-$(uname -r) --pem > builtin.pem",
            "  kharden modsig verify --kernel /boot/vmlinuz-$(uname -r) /lib/modules/$(uname -r)",
            "  kharden modsig inspect --format json ext4.ko.xz",
            "  kharden modsig sign --key signing_key.pem --cert signing_key.x509 mymod.ko",
        })
public final class ModsigCommand implements java.util.concurrent.Callable<Integer> {
    /** Output format shared by the modsig and livepatch commands. */
    public enum Format { text, json }

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** Without a subcommand: the group's usage on standard error, and a usage error. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        spec.commandLine().getErr().println("kharden: modsig needs a subcommand (see above)");
        return ExitCodes.USAGE;
    }
}
