package dev.kharden.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.kharden.age.AgeKeys;
import dev.kharden.age.Identity;
import dev.kharden.age.X25519Identity;
import dev.kharden.seal.ManifestSignature;
import dev.kharden.seal.PrivateFile;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code kharden keygen}: makes an age X25519 identity (or a machine signing key) and prints its public half. */
@Command(
        addMethodSubcommands = false,
        name = "keygen",
        header = "Make a key for sealed diagnostics.",
        mixinStandardHelpOptions = true,
        description = {
            "By default: an age X25519 identity, the private key support keeps to open bundles. It is",
            "written in age's own format (age-keygen reads and writes the same), mode 0600, atomically,",
            "and its public recipient (age1...) is printed: give that to the machines that seal.",
            "With --signing: an Ed25519 machine key (PKCS#8 PEM) for 'kharden seal --sign-key', so",
            "support can tell which machine sealed a bundle; its public key and fingerprint are printed.",
            ""
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  kharden keygen -o support.key          # prints age1...; keep support.key private",
            "  kharden keygen -y support.key          # print the recipient of an existing identity",
            "  kharden keygen --signing -o machine.pem",
            "  age-keygen -o k.txt && kharden keygen -y k.txt   # age's keys work too",
            "",
            "Exit codes: 0 key written (or recipients printed); 2 bad usage, an existing FILE (a key is never "
                    + "overwritten), an unreadable identity file; 3 internal error."
        })
public final class KeygenCommand implements Callable<Integer> {
    /** JSON output schema of this command. */
    public static final String SCHEMA = "kharden-keygen/1";

    enum Format { text, json }

    @Spec
    CommandSpec spec;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "Write the private key here (mode 0600; refuses to overwrite). Without it the key goes to standard output.")
    Path output;

    @Option(names = "-y", paramLabel = "IDENTITY-FILE",
            description = "Print the recipient of each identity in an existing identity file instead of making one.")
    Path convert;

    @Option(names = "--signing", description = "Make an Ed25519 machine signing key instead of an age identity.")
    boolean signing;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text (default) or json.")
    Format format;

    @Override
    public Integer call() throws IOException {
        if (Args.isDash(output)) {
            output = null; // standard output, as without -o (a file named "-" would hold the secret key)
        }
        PrintWriter out = spec.commandLine().getOut();
        if (convert != null && output != null) {
            throw new UsageException("-y prints the public keys of an existing key file; -o has no use with it",
                    "kharden keygen -y KEYFILE > recipients.txt");
        }
        if (convert != null) {
            List<Identity> ids = AgeKeys.readIdentities(convert);
            for (Identity id : ids) {
                if (id instanceof X25519Identity x) {
                    print(out, "recipient", x.recipient().toString(), null);
                } else {
                    throw new UsageException(convert + ": post-quantum identities have no printable recipient in this version",
                            "use age-keygen -y for AGE-SECRET-KEY-PQ keys");
                }
            }
            return ExitCodes.OK;
        }
        String created = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
        String secret;
        String publicPart;
        String fingerprint = null;
        if (signing) {
            KeyPair kp = ManifestSignature.generate();
            byte[] raw = ManifestSignature.raw(kp.getPublic());
            publicPart = Base64.getEncoder().encodeToString(raw);
            fingerprint = ManifestSignature.fingerprint(raw);
            secret = "# kharden machine signing key (Ed25519), created: " + created + "\n"
                    + "# public key: " + publicPart + "\n" + ManifestSignature.toPem(kp.getPrivate());
        } else {
            X25519Identity id = X25519Identity.generate();
            publicPart = id.recipient().toString();
            // Same layout as age-keygen, so either tool reads the other's files.
            secret = "# created: " + created + "\n# public key: " + publicPart + "\n" + id.encode() + "\n";
        }
        if (output == null) {
            if (format == Format.json) {
                throw new UsageException("--format json needs -o FILE", "the private key is never printed inside JSON");
            }
            out.print(secret);
            if (out.checkError()) { // flushes: a key that was not written must not be announced
                throw new UsageException("cannot write the private key to standard output; nothing was saved",
                        "write it to a file with -o FILE");
            }
            spec.commandLine().getErr().println("Public key: " + publicPart);
            return ExitCodes.OK;
        }
        PrivateFile.write(output, secret.getBytes(StandardCharsets.US_ASCII));
        print(out, signing ? "publicKey" : "recipient", publicPart, fingerprint);
        return ExitCodes.OK;
    }

    private void print(PrintWriter out, String kind, String value, String fingerprint) throws IOException {
        if (format == Format.json) {
            try (JsonGenerator g = new JsonFactory().disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET).createGenerator(out)) {
                g.writeStartObject();
                g.writeStringField("schema", SCHEMA);
                if (output != null) {
                    g.writeStringField("file", output.toString());
                }
                g.writeStringField(kind, value);
                if (fingerprint != null) {
                    g.writeStringField("fingerprint", fingerprint);
                }
                g.writeEndObject();
            }
            out.println();
            return;
        }
        if (fingerprint != null) {
            out.println("Public key: " + value);
            out.println("Fingerprint: " + fingerprint);
        } else {
            out.println(value);
        }
    }
}
