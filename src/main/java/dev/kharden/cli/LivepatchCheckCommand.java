package dev.kharden.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.kharden.livepatch.LivepatchPolicy;
import dev.kharden.modsig.Batch;
import dev.kharden.modsig.CertificateFiles;
import dev.kharden.modsig.ModsigReport;
import dev.kharden.modsig.ModuleImage;
import dev.kharden.modsig.ModuleTree;
import dev.kharden.modsig.Rejected;
import dev.kharden.modsig.TrustSources;
import dev.kharden.modsig.TrustedCert;
import dev.kharden.modsig.TrustedKeys;
import dev.kharden.modsig.Verdict;
import dev.kharden.modsig.Verifier;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** `kharden livepatch check`: the live-patch policy, one decision per module. */
@Command(
        addMethodSubcommands = false,
        name = "check",
        mixinStandardHelpOptions = true,
        description = {
            "Decide whether modules may be applied as live patches. A module passes only when (1) it is marked as a "
                    + "live patch (modinfo livepatch=Y), (2) it is built for the given kernel release (vermagic), and "
                    + "(3) its signature is valid by the kernel's rules and made by an allowed key. Each refusal names "
                    + "the condition that failed: marked-livepatch, built-for-kernel, valid-signature, allowed-signer.",
            ""
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  kharden livepatch check --kernel-release 6.1.0-56-amd64 --allow-signer livepatch-ca.pem fix.ko",
            "  kharden livepatch check --kernel-release $(uname -r) --kernel /boot/vmlinuz-$(uname -r) \\",
            "      --allow-signer 89:63:F7:07:E2:89:ED:C0:9D:F3:37:A2:40:93:81:34:37:1A:5B:B8 fix.ko",
            "",
            "Exit codes: 0 every module passes; 1 some module refused; 2 bad usage or unreadable certificates.",
        })
public final class LivepatchCheckCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--kernel-release", paramLabel = "R", required = true,
            description = "The kernel release the patch must be built for, as uname -r prints it.")
    String release;

    @Option(names = "--allow-signer", paramLabel = "CERT|HEX",
            description = "An allowed signing key: a certificate file (PEM/DER; also trusted), or the SHA-256 "
                    + "fingerprint, subject key id or serial number of a trusted certificate. Repeatable. Without "
                    + "it, any trusted key is allowed.")
    List<String> allowSigners = new ArrayList<>();

    @Option(names = "--cert", paramLabel = "FILE", description = "Trusted certificate(s), PEM or DER. Repeatable.")
    List<Path> certs = new ArrayList<>();

    @Option(names = "--kernel", paramLabel = "VMLINUZ",
            description = "Trust the certificates built into this kernel image. Repeatable.")
    List<Path> kernels = new ArrayList<>();

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text or json (schema kharden-modsig/1).")
    ModsigCommand.Format format;

    @Parameters(paramLabel = "MODULE", arity = "1..*", description = "Live-patch modules (files or directories).")
    List<Path> modules;

    @Override
    public Integer call() throws IOException {
        if (release.isBlank() || release.chars().anyMatch(Character::isWhitespace)) {
            throw new UsageException("--kernel-release '" + release + "' is not a kernel release", "as uname -r prints it: 6.1.0-56-amd64");
        }
        List<TrustedCert> trusted = new ArrayList<>(TrustSources.load(certs, kernels));
        List<String> allowed = new ArrayList<>();
        for (String a : allowSigners) {
            Path p = Path.of(a);
            if (Files.isRegularFile(p)) {
                for (TrustedCert c : CertificateFiles.read(p)) {
                    trusted.add(c);
                    allowed.add(c.sha256Fingerprint());
                }
            } else if (a.replace(":", "").matches("(?i)[0-9a-f]+")) {
                allowed.add(a);
            } else if (Files.exists(p) || a.contains("/") || a.contains(".")) {
                throw new UsageException("--allow-signer " + a + ": " + (Files.exists(p) ? "not a regular file" : "no such file"),
                        "give a certificate file, or a SHA-256 fingerprint, subject key id or serial in hex");
            } else {
                throw new UsageException("--allow-signer " + a + " is neither a file nor a hex identifier",
                        "give a certificate file, or a SHA-256 fingerprint, subject key id or serial in hex");
            }
        }
        if (trusted.isEmpty()) {
            throw new UsageException("no trusted keys: give --allow-signer CERT, --cert FILE or --kernel VMLINUZ", null);
        }
        LivepatchPolicy policy = new LivepatchPolicy(release, new Verifier(new TrustedKeys(trusted)), allowed);
        PrintWriter out = spec.commandLine().getOut();
        AtomicInteger refused = new AtomicInteger();
        AtomicInteger total = new AtomicInteger();
        JsonGenerator j = null;
        if (format == ModsigCommand.Format.json) {
            j = new JsonFactory().createGenerator(out);
            j.useDefaultPrettyPrinter();
            j.writeStartObject();
            j.writeStringField("schema", ModsigReport.SCHEMA);
            j.writeStringField("command", "livepatch check");
            j.writeStringField("kernelRelease", release);
            j.writeArrayFieldStart("modules");
        }
        JsonGenerator json = j;
        Batch.run(ModuleTree.walkInBackground(modules), e -> decide(policy, e), d -> {
            total.incrementAndGet();
            if (!d.pass()) {
                refused.incrementAndGet();
            }
            try {
                write(out, json, d);
            } catch (IOException ex) {
                throw new java.io.UncheckedIOException(ex);
            }
        }, (d, t) -> { }, Batch.defaultThreads());
        if (json != null) {
            json.writeEndArray();
            json.writeObjectFieldStart("summary");
            json.writeNumberField("total", total.get());
            json.writeNumberField("pass", total.get() - refused.get());
            json.writeNumberField("refused", refused.get());
            json.writeEndObject();
            json.writeEndObject();
            json.flush();
            out.println();
        } else {
            out.println(total.get() + " module(s): " + (total.get() - refused.get()) + " pass, " + refused.get()
                    + " refused");
        }
        return refused.get() == 0 ? ExitCodes.OK : ExitCodes.FINDINGS;
    }

    private static LivepatchPolicy.Decision decide(LivepatchPolicy policy, ModuleTree.Entry e) {
        String path = e.path().toString();
        Rejected failure = e.error();
        if (failure == null) {
            try {
                return policy.check(ModuleImage.read(e.path(), ModuleImage.DEFAULT_LIMIT));
            } catch (Rejected r) {
                failure = r;
            }
        }
        Verdict v = Verdict.failed(path, failure);
        return new LivepatchPolicy.Decision(path, false, List.of(new LivepatchPolicy.Refusal(
                LivepatchPolicy.Condition.SIGNATURE, v.status().word() + " (" + v.errno() + "): " + v.reason())),
                v, null, false);
    }

    private static void write(PrintWriter out, JsonGenerator j, LivepatchPolicy.Decision d) throws IOException {
        if (j == null) {
            out.printf("%-8s %s%n", d.pass() ? "pass" : "refused", d.path());
            for (LivepatchPolicy.Refusal r : d.refusals()) {
                out.printf("           %s: %s%n", r.condition().id(), r.reason());
            }
            return;
        }
        j.writeStartObject();
        j.writeStringField("path", d.path());
        j.writeStringField("status", d.pass() ? "pass" : "refused");
        j.writeBooleanField("livepatch", d.marked());
        j.writeStringField("vermagic", d.vermagic());
        j.writeStringField("signature", d.verdict().status().word());
        j.writeStringField("errno", d.verdict().errno() == null ? null : d.verdict().errno().name());
        j.writeStringField("signer", d.verdict().signedBy() == null ? null : d.verdict().signedBy().subject());
        j.writeArrayFieldStart("refusals");
        for (LivepatchPolicy.Refusal r : d.refusals()) {
            j.writeStartObject();
            j.writeStringField("condition", r.condition().id());
            j.writeStringField("reason", r.reason());
            j.writeEndObject();
        }
        j.writeEndArray();
        j.writeEndObject();
    }
}
