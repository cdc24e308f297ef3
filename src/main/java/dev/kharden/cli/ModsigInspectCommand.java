package dev.kharden.cli;

import dev.kharden.modsig.Batch;
import dev.kharden.modsig.Inspection;
import dev.kharden.modsig.ModsigReport;
import dev.kharden.modsig.ModuleImage;
import dev.kharden.modsig.ModuleTree;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** `kharden modsig inspect`: shows a module's ELF facts, modinfo and appended signature, without judging trust. */
@Command(
        addMethodSubcommands = false,
        name = "inspect",
        mixinStandardHelpOptions = true,
        description = {
            "Show what a kernel module says about itself: ELF class and machine, modinfo fields (name, vermagic, "
                    + "license, srcversion, depends, intree, retpoline, livepatch), and the appended signature: the "
                    + "trailer fields of struct module_signature, the PKCS#7 signer (issuer and serial, or subject key "
                    + "id), digest and signature algorithms. Works on .ko, .ko.gz, .ko.xz and .ko.zst.",
            "",
            "Unlike modinfo it also shows signers named by subject key id (sign-file -k). It does not check trust: "
                    + "use 'kharden modsig verify' for that.",
            ""
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  kharden modsig inspect /lib/modules/$(uname -r)/kernel/fs/ext4/ext4.ko",
            "  kharden modsig inspect --format json mymod.ko.zst",
            "",
            "Exit codes: 0 every module read (signed or not); 1 some module malformed or unreadable; 2 bad usage.",
        })
public final class ModsigInspectCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text (a block per module) or json (schema kharden-modsig/1).")
    ModsigCommand.Format format;

    @Parameters(paramLabel = "PATH", arity = "1..*",
            description = "Module files or directories (searched for *.ko, *.ko.gz, *.ko.xz, *.ko.zst).")
    List<Path> paths;

    @Override
    public Integer call() {
        AtomicBoolean bad = new AtomicBoolean();
        try (ModsigReport report = new ModsigReport(spec.commandLine().getOut(),
                format == ModsigCommand.Format.json, "inspect", null)) {
            Batch.run(ModuleTree.walkInBackground(paths), e -> Inspection.of(e, ModuleImage.DEFAULT_LIMIT), i -> {
                if (i.status().equals("malformed") || i.status().equals("unreadable")) {
                    bad.set(true);
                }
                report.inspection(i);
            }, (d, t) -> { }, Batch.defaultThreads());
        }
        return bad.get() ? ExitCodes.FINDINGS : ExitCodes.OK;
    }
}
