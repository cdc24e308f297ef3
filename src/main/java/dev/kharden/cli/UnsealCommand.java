package dev.kharden.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.kharden.age.AgeKeys;
import dev.kharden.age.Identity;
import dev.kharden.seal.BundleReader;
import dev.kharden.seal.Manifest;
import dev.kharden.seal.ManifestSignature;
import dev.kharden.seal.Unsealer;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kharden unseal}: opens a sealed bundle, verifies it, and unpacks or lists it. */
@Command(
        addMethodSubcommands = false,
        name = "unseal",
        header = "Open a sealed bundle: decrypt, verify, unpack.",
        mixinStandardHelpOptions = true,
        description = {
            "Decrypts BUNDLE with the identities given, checks every entry against the manifest (and",
            "the manifest signature, if any), and unpacks into DIR, which must not exist yet. All or",
            "nothing: a wrong key, a tampered or truncated bundle leaves nothing behind. Entries that",
            "would escape DIR (absolute paths, '..', links) are refused. Also opens any age-encrypted",
            "tar, e.g. one made with 'tar c ... | age -r age1...'.",
            ""
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  kharden unseal -i support.key crash.age -o crash/",
            "  kharden unseal -i support.key --list crash.age",
            "  kharden unseal -i support.key --signer SHA256:... crash.age -o crash/   # require this machine",
            "",
            "Exit codes: 0 decrypted, verified and unpacked; 2 bad usage, no identity matches, a tampered, "
                    + "truncated or malformed bundle, or a manifest not signed by the --signer key (nothing "
                    + "written); 3 internal error."
        })
public final class UnsealCommand implements Callable<Integer> {
    /** JSON output schema of this command. */
    public static final String SCHEMA = "kharden-unseal/1";

    enum Format { text, json }

    @Spec
    CommandSpec spec;

    @Option(names = {"-i", "--identity"}, paramLabel = "IDENTITY", required = true,
            description = "An age identity file (kharden keygen or age-keygen output). Repeatable.")
    List<Path> identityFiles = new ArrayList<>();

    @Option(names = {"-o", "--output"}, paramLabel = "DIR", description = "Unpack into this new folder.")
    Path output;

    @Option(names = {"-l", "--list"}, description = "Verify and show the manifest; write nothing.")
    boolean list;

    @Option(names = "--signer", paramLabel = "KEY",
            description = "Require the manifest to be signed by this machine key: its fingerprint (SHA256:...) or base64 public key.")
    String signer;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text", description = "text (default) or json.")
    Format format;

    @Parameters(paramLabel = "BUNDLE", description = "The sealed bundle; - reads it from standard input "
            + "(kharden seal -o - ... | kharden unseal -i KEY - -o DIR).")
    Path bundle;

    @Override
    public Integer call() throws IOException {
        Args.notStandardOutput("-o", output, "unseal writes a folder of files", "name a new folder; --list shows the manifest");
        if (Args.isDash(bundle)) {
            if (TerminalProgress.stdinIsTerminal()) {
                throw new UsageException("refusing to read a bundle (binary) from the terminal",
                        "pipe one in (kharden seal -o - ... | kharden unseal -i KEY - -o DIR), or name the file");
            }
            bundle = Path.of("/dev/stdin");
        }
        if (list == (output != null)) {
            throw new UsageException("give either -o DIR (unpack) or --list", "kharden unseal -i KEY BUNDLE -o DIR");
        }
        List<Identity> ids = new ArrayList<>();
        for (Path f : identityFiles) {
            ids.addAll(AgeKeys.readIdentities(f));
        }
        BundleReader.Verified v;
        ByteProgressLine progress = ByteProgressLine.onTerminal(spec.commandLine().getErr(), list ? "checking" : "unsealing");
        try {
            if (list) {
                // Verifies everything and discards the content: nothing is written.
                v = BundleReader.decryptAndScan(bundle, ids, (name, size) -> null, progress);
                if (signer != null) {
                    checkSigner(v);
                }
            } else {
                v = Unsealer.unseal(bundle, ids, output, verified -> {
                    if (signer != null) {
                        checkSigner(verified);
                    }
                }, progress);
            }
        } finally {
            progress.done();
        }
        report(v);
        return ExitCodes.OK;
    }

    private void checkSigner(BundleReader.Verified v) {
        if (v.signerKey() == null) {
            throw new UsageException(bundle + ": the manifest is not signed, but --signer was given");
        }
        String b64 = Base64.getEncoder().encodeToString(v.signerKey());
        if (!signer.equals(v.signerFingerprint()) && !signer.equals(b64)) {
            throw new UsageException(bundle + ": signed by " + v.signerFingerprint() + ", not by " + signer,
                    "this bundle was sealed by another machine key");
        }
    }

    private void report(BundleReader.Verified v) throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        Manifest m = v.manifest();
        if (format == Format.json) {
            try (JsonGenerator g = new JsonFactory().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET).createGenerator(out)) {
                g.useDefaultPrettyPrinter();
                g.writeStartObject();
                g.writeStringField("schema", SCHEMA);
                g.writeStringField("bundle", bundle.toString());
                if (output != null) {
                    g.writeStringField("output", output.toString());
                }
                g.writeBooleanField("verified", true);
                g.writeStringField("signature", v.signature().name().toLowerCase(java.util.Locale.ROOT));
                if (v.signerKey() != null) {
                    g.writeStringField("signerFingerprint", v.signerFingerprint());
                }
                if (m != null) {
                    g.writeFieldName("manifest");
                    m.write(g);
                } else {
                    g.writeArrayFieldStart("files");
                    for (Manifest.Entry e : v.files()) {
                        g.writeStartObject();
                        g.writeStringField("name", e.name());
                        g.writeNumberField("size", e.size());
                        g.writeStringField("sha256", e.sha256());
                        g.writeEndObject();
                    }
                    g.writeEndArray();
                }
                g.writeEndObject();
            }
            out.println();
            return;
        }
        if (m == null) {
            out.println("not a kharden bundle (no MANIFEST.json): " + v.files().size()
                    + " files, authenticated by age only");
        } else {
            out.println("bundle " + bundle + ": " + Said.printable(m.schema()) + ", sealed " + Said.printable(m.created()) + " by "
                    + Said.printable(m.generator()));
            out.println(v.signerKey() == null
                    ? "signature: none (age does not say who sealed a bundle)"
                    : "signature: valid, machine key " + v.signerFingerprint()
                            + (signer == null ? " (not checked against a known key: use --signer)" : " (matches --signer)"));
            SealCommand.printFactsAndNotes(m, out);
        }
        List<Manifest.Entry> entries = m == null ? v.files() : m.entries();
        for (Manifest.Entry e : entries) {
            out.printf("%12d  %s  %s%n", e.size(), Said.printable(e.sha256().substring(0, Math.min(16, e.sha256().length()))), Said.printable(e.name()));
        }
        if (output != null) {
            out.println("unsealed " + entries.size() + " files into " + output);
        }
    }
}
