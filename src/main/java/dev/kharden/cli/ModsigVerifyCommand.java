package dev.kharden.cli;

import dev.kharden.modsig.Batch;
import dev.kharden.modsig.ModsigReport;
import dev.kharden.modsig.ModuleImage;
import dev.kharden.modsig.ModuleTree;
import dev.kharden.modsig.Rejected;
import dev.kharden.modsig.Status;
import dev.kharden.modsig.TrainingModule;
import dev.kharden.modsig.TrustSources;
import dev.kharden.modsig.TrustedCert;
import dev.kharden.modsig.TrustedKeys;
import dev.kharden.modsig.Verdict;
import dev.kharden.modsig.Verifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** `kharden modsig verify`: checks module signatures against trusted keys, like the kernel at load time. */
@Command(
        addMethodSubcommands = false,
        name = "verify",
        mixinStandardHelpOptions = true,
        description = {
            "Verify the appended signatures of kernel modules (files or whole trees, compressed or not) the way "
                    + "the kernel does at load time, against certificates from files and/or the built-in trusted "
                    + "keys of a kernel image.",
            "",
            "Each module gets one status: valid, invalid (bad signature), unsigned, unknown-key, unsupported, "
                    + "malformed or unreadable, with the errno the kernel would return and its classification: "
                    + "soft failures (unsigned ENODATA, unknown-key ENOKEY, unsupported ENOPKG) are let through by "
                    + "a kernel that does not enforce signatures; hard ones (EBADMSG, EKEYREJECTED, EINVAL) never are.",
            ""
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  kharden modsig verify --kernel /boot/vmlinuz-6.1.0-56-amd64 /lib/modules/6.1.0-56-amd64",
            "  kharden modsig verify --cert signing_key.x509 --format json mymod.ko.zst",
            "",
            "Exit codes: 0 every module valid; 1 some module not valid; 2 bad usage or unreadable certificates.",
        })
public final class ModsigVerifyCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--cert", paramLabel = "FILE",
            description = "Trusted certificate(s): PEM (any number of CERTIFICATE blocks) or DER. Repeatable.")
    List<Path> certs = new ArrayList<>();

    @Option(names = "--kernel", paramLabel = "VMLINUZ",
            description = "Trust the certificates built into this kernel image (x86 bzImage, arm64 Image, Image.gz, "
                    + "vmlinux), as the kernel's builtin keyring does. Repeatable.")
    List<Path> kernels = new ArrayList<>();

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text (one line per module, then a summary) or json (schema kharden-modsig/1).")
    ModsigCommand.Format format;

    @Option(names = {"-j", "--jobs"}, paramLabel = "N",
            description = "Modules checked in parallel (default: one per core).")
    Integer jobs;

    @Parameters(paramLabel = "PATH", arity = "1..*",
            description = "Module files or directories (searched for *.ko, *.ko.gz, *.ko.xz, *.ko.zst).")
    List<Path> paths;

    @Override
    public Integer call() {
        if (certs.isEmpty() && kernels.isEmpty()) {
            throw new UsageException("no trusted keys: give --cert FILE and/or --kernel VMLINUZ",
                    "extract a kernel's keys with 'kharden modsig certs VMLINUZ --pem > keys.pem'");
        }
        Timing.mark("command starts");
        Verifier.prepare();
        // The tree is walked while the certificates load and libcrypto links, and the modules are
        // verified as they are found: the start-up steps overlap on both cores.
        int threads = Args.jobs(jobs, Batch.defaultThreads()); // before any output or work
        Batch.Feed<ModuleTree.Entry> entries = ModuleTree.walkInBackground(paths);
        List<TrustedCert> trusted = TrustSources.load(certs, kernels);
        Verifier verifier = new Verifier(new TrustedKeys(trusted));
        Timing.mark("keys loaded");
        var out = spec.commandLine().getOut();
        TerminalProgress progress = new TerminalProgress(spec.commandLine().getErr(),
                TerminalProgress.stderrIsTerminal());
        try (ModsigReport report = new ModsigReport(out, format == ModsigCommand.Format.json, "verify", trusted)) {
            Batch.run(entries, e -> verifyOne(verifier, e), report::verdict, progress, threads);
            Timing.mark("verified");
            return report.count(Status.VALID) == report.total() && report.total() > 0 ? ExitCodes.OK : ExitCodes.FINDINGS;
        }
    }

    /** Offline workloads for the start-up cache: sign, inspect and verify a module made on the spot. */
    static List<String[]> trainingWorkloads(Path dir) throws java.io.IOException {
        TrainingModule.Files4 f = TrainingModule.write(dir);
        String cert = f.cert().toString();
        String signed = f.signed().toString();
        List<String[]> runs = new ArrayList<>(List.of(
                new String[] {"modsig", "sign", "--key", f.key().toString(), "--cert", cert, f.module().toString(),
                        dir.resolve("train-resigned.ko").toString()},
                new String[] {"modsig", "inspect", signed},
                new String[] {"modsig", "verify", "--cert", cert, signed, f.module().toString()},
                new String[] {"modsig", "verify", "--cert", cert, "--format", "json", signed}));
        // A whole folder, as for a module tree: the walk, and with libcrypto an RSA signature too.
        TrainingModule.Files4 rsa = TrainingModule.writeRsa(dir);
        runs.add(rsa == null ? new String[] {"modsig", "verify", "--cert", cert, dir.toString()}
                : new String[] {"modsig", "verify", "--cert", cert, "--cert", rsa.cert().toString(), dir.toString()});
        return runs;
    }

    static Verdict verifyOne(Verifier verifier, ModuleTree.Entry e) {
        if (e.error() != null) {
            return Verdict.failed(e.path().toString(), e.error());
        }
        try {
            return verifier.verify(e.path(), ModuleImage.DEFAULT_LIMIT);
        } catch (Rejected r) {
            return Verdict.failed(e.path().toString(), r);
        }
    }
}
