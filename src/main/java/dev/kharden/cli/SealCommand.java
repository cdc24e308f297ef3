package dev.kharden.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.kharden.age.AgeKeys;
import dev.kharden.age.Recipient;
import dev.kharden.files.ByteSize;
import dev.kharden.input.InputException;
import dev.kharden.report.AuditCollector;
import dev.kharden.seal.Machine;
import dev.kharden.seal.Manifest;
import dev.kharden.seal.ManifestSignature;
import dev.kharden.seal.Sealer;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code kharden seal}: collects a machine's crash diagnostics into an age-encrypted bundle. */
@Command(
        addMethodSubcommands = false,
        name = "seal",
        header = "Collect kernel diagnostics and seal them for support.",
        mixinStandardHelpOptions = true,
        description = {
            "Collects /proc/kallsyms, /proc/modules and the module section addresses, the kernel",
            "version, build id, config and command line, the oops/WARN/BUG reports of the kernel log,",
            "and any FILEs named, into a tar stream encrypted with age v1 to the recipients: only the",
            "holders of the matching identities can open it ('kharden unseal', or stock 'age -d').",
            "The plaintext never touches the disk; the bundle is written 0600 and atomically.",
            "Kernel addresses read as zeros without CAP_SYSLOG or under kptr_restrict=2: run as root;",
            "the manifest says when and why values are missing.",
            ""
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  sudo kharden seal --to age1... -o crash.age",
            "  sudo kharden seal -R support-recipients.txt --sign-key /etc/kharden/machine.pem \\",
            "       -o crash.age /var/log/kern.log",
            "  kharden seal --root /mnt/rescue --to age1... -o crash.age   # collect from a mounted tree",
            "",
            "Exit codes: 0 sealed (what could not be collected is said in the manifest's notes); 2 bad usage, "
                    + "a bad recipient or file, BUNDLE exists (without --force), a write that failed (nothing is "
                    + "left behind); 3 internal error."
        })
public final class SealCommand implements Callable<Integer> {
    /** JSON output schema of this command. */
    public static final String SCHEMA = "kharden-seal/1";

    enum Format { text, json }

    @Spec
    CommandSpec spec;

    @Option(names = {"-r", "--to"}, paramLabel = "RECIPIENT",
            description = "Seal to this age recipient (age1..., from 'kharden keygen' or age-keygen). Repeatable.")
    List<String> to = new ArrayList<>();

    @Option(names = {"-R", "--recipients-file"}, paramLabel = "FILE",
            description = "Seal to every recipient in FILE (one age1... per line, # comments). Repeatable.")
    List<Path> recipientFiles = new ArrayList<>();

    @Option(names = {"-o", "--output"}, paramLabel = "BUNDLE", required = true,
            description = "Write the sealed bundle here (mode 0600, atomically); - streams it to standard output "
                    + "(never a terminal), and the summary then goes to standard error.")
    Path output;

    @Option(names = "--force", description = "Replace BUNDLE if it exists.")
    boolean force;

    @Option(names = "--root", paramLabel = "DIR", defaultValue = "/",
            description = "Collect from DIR/proc, DIR/sys, DIR/boot, DIR/dev/kmsg instead of the live system.")
    Path root;

    @Option(names = "--kernel-log", paramLabel = "FILE",
            description = "Also take oops/WARN/BUG reports from FILE (dmesg or journalctl -k output). Repeatable.")
    List<Path> kernelLogs = new ArrayList<>();

    @Option(names = "--sign-key", paramLabel = "FILE",
            description = "Sign the manifest with this Ed25519 machine key (from 'kharden keygen --signing').")
    Path signKey;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text", description = "text (default) or json.")
    Format format;

    @Parameters(paramLabel = "FILE", arity = "0..*", description = "Extra files to include (as extra/NAME).")
    List<Path> extraFiles = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        List<Recipient> recipients = new ArrayList<>();
        for (String r : to) {
            recipients.add(AgeKeys.parseRecipient("--to", 0, r));
        }
        for (Path f : recipientFiles) {
            recipients.addAll(AgeKeys.readRecipients(f));
        }
        if (recipients.isEmpty()) {
            throw new UsageException("no recipient: a bundle must be sealed to at least one key",
                    "add --to age1... or -R FILE (make a key with 'kharden keygen -o support.key')");
        }
        if (!Files.isDirectory(root)) {
            throw new UsageException("--root " + root + " is not a folder");
        }
        for (Path log : kernelLogs) {
            // a file, or a pipe such as <(dmesg) or <(journalctl -k)
            if (!Files.exists(log) || Files.isDirectory(log) || !Files.isReadable(log)) {
                throw InputException.ofFile(log.toString(), Files.isDirectory(log) ? "is a folder, not a log"
                        : Files.exists(log) ? "permission denied" : "no such file");
            }
        }
        List<Path> inputs = new ArrayList<>(extraFiles);
        inputs.addAll(kernelLogs);
        inputs.addAll(recipientFiles);
        inputs.add(signKey);
        Args.notAnInput("-o", output, inputs);
        boolean toStdout = Args.isDash(output);
        if (toStdout && TerminalProgress.stdoutIsTerminal()) {
            throw new UsageException("refusing to write a bundle (binary) to the terminal",
                    "redirect standard output (-o - > crash.age, or -o - | ssh ...), or name a file with -o");
        }
        PrivateKey key = signKey == null ? null : readSigningKey(signKey);
        ByteProgressLine progress = ByteProgressLine.onTerminal(spec.commandLine().getErr(), "sealing");
        Sealer.Result r;
        try {
            Sealer.Options options = new Sealer.Options(new Machine(root),
                    Sealer.standardCollectors(kernelLogs, List.of(new AuditCollector())), extraFiles, recipients, key,
                    output, force, new VersionProvider().getVersion()[0]);
            r = toStdout ? Sealer.sealTo(options, new FileOutputStream(FileDescriptor.out).getChannel(), "standard output", progress)
                    : Sealer.seal(options, progress);
        } finally {
            progress.done();
        }
        // With -o -, standard output carries the bundle: the summary goes to standard error.
        PrintWriter out = toStdout ? spec.commandLine().getErr() : spec.commandLine().getOut();
        Manifest m = r.manifest();
        if (format == Format.json) {
            try (JsonGenerator g = new JsonFactory().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET).createGenerator(out)) {
                g.useDefaultPrettyPrinter();
                g.writeStartObject();
                g.writeStringField("schema", SCHEMA);
                g.writeStringField("bundle", output.toString());
                g.writeNumberField("recipients", recipients.size());
                g.writeBooleanField("signed", key != null);
                g.writeFieldName("manifest");
                m.write(g);
                g.writeEndObject();
            }
            out.println();
            return ExitCodes.OK;
        }
        // Plain concatenation, not printf (see printFactsAndNotes).
        out.println("sealed " + m.entries().size() + " entries (" + ByteSize.human(r.plaintextBytes()) + ") to " + (toStdout ? "standard output" : output) + " for "
                + recipients.size() + " recipient" + (recipients.size() == 1 ? "" : "s") + (key == null ? "" : ", manifest signed"));
        printFactsAndNotes(m, out);
        return ExitCodes.OK;
    }

    private static PrivateKey readSigningKey(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw InputException.ofFile(file.toString(), "no such file");
        }
        // ISO-8859-1 reads any bytes: a binary file is then simply no PEM, not a decoding error
        byte[] pem;
        try {
            pem = dev.kharden.files.BoundedRead.readAllBytes(file, 1 << 20);
        } catch (dev.kharden.files.BoundedRead.TooLarge e) {
            throw InputException.ofFile(file.toString(), "larger than 1 MiB; not a PEM key");
        } catch (IOException e) {
            throw InputException.ofFile(file.toString(), Files.isDirectory(file) ? "is a folder, not a key" : "cannot read it: " + e.getMessage());
        }
        PrivateKey k = ManifestSignature.parsePrivatePem(new String(pem, StandardCharsets.ISO_8859_1));
        if (k == null) {
            throw InputException.ofFile(file.toString(), "not a PKCS#8 PEM Ed25519 private key (make one with 'kharden keygen --signing')");
        }
        return k;
    }

    /**
     * A manifest's facts ({@code  key  value}, keys padded to 20) and notes, as seal and unseal
     * --list print them: escaped for the terminal (whoever sealed a bundle chose them), and without
     * printf (java.util.Formatter's first use costs a seal about 7 ms of CPU).
     */
    static void printFactsAndNotes(Manifest m, PrintWriter out) {
        for (Map.Entry<String, String> f : m.facts().entrySet()) {
            String k = Said.printable(f.getKey());
            out.println("  " + k + " ".repeat(Math.max(1, 21 - k.length())) + Said.printable(f.getValue()));
        }
        for (String n : m.notes()) {
            out.println("note: " + Said.printable(n));
        }
    }

    /**
     * Start-up cache training (kharden __train seal): keygen, then a seal of a 4 MiB file against an
     * empty machine root, a listing and an unseal of the bundle, all under {@code dir}. See also
     * {@link #liveTrainingWorkloads}.
     */
    static List<String[]> trainingWorkloads(Path dir) throws IOException {
        dev.kharden.age.X25519Identity id = dev.kharden.age.X25519Identity.generate();
        Path key = Files.writeString(dir.resolve("train.key"), id.encode() + "\n");
        Path root = Files.createDirectories(dir.resolve("train.root"));
        byte[] data = new byte[4 << 20];
        new java.util.Random(1).nextBytes(data);
        Path extra = Files.write(dir.resolve("train.bin"), data);
        String bundle = dir.resolve("train.age").toString();
        return List.of(
                new String[] {"keygen", "-o", dir.resolve("train.new.key").toString()},
                new String[] {"keygen", "-y", key.toString()},
                new String[] {"seal", "--root", root.toString(), "--to", id.recipient().toString(), "-o", bundle, extra.toString()},
                new String[] {"unseal", "-i", key.toString(), "--list", bundle},
                new String[] {"unseal", "-i", key.toString(), "-o", dir.resolve("train.out").toString(), bundle});
    }

    /**
     * Training that depends on the machine (its result does not count): a seal of the live system,
     * whose collectors load the parsers of the kernel log, config, command line and sysctls. Without
     * them in the start-up cache, a real seal loaded about 30 classes from the jar, opening and
     * indexing it first. The bundle is sealed to a key made for the run and deleted with it.
     */
    static List<String[]> liveTrainingWorkloads(Path dir) {
        dev.kharden.age.X25519Identity id = dev.kharden.age.X25519Identity.generate();
        return List.<String[]>of(new String[] {"seal", "--to", id.recipient().toString(), "-o", dir.resolve("live.age").toString()});
    }
}
