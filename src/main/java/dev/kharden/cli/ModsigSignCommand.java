package dev.kharden.cli;

import dev.kharden.input.InputException;
import dev.kharden.modsig.Algorithms;
import dev.kharden.modsig.BoundedFile;
import dev.kharden.modsig.CertificateFiles;
import dev.kharden.modsig.Compression;
import dev.kharden.modsig.ModuleImage;
import dev.kharden.modsig.ModuleSigner;
import dev.kharden.modsig.SignatureTrailer;
import dev.kharden.modsig.SigningKey;
import dev.kharden.modsig.TrustedCert;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** `kharden modsig sign`: appends a signature byte-identical to the kernel's scripts/sign-file. */
@Command(
        addMethodSubcommands = false,
        name = "sign",
        mixinStandardHelpOptions = true,
        description = {
            "Sign a kernel module the way the kernel's scripts/sign-file does: a detached PKCS#7 signature with no "
                    + "certificates and no signed attributes, then struct module_signature and the marker. With an "
                    + "RSA key the output is byte-identical to sign-file's for the same key and options.",
            "",
            "An already signed module is refused unless --replace is given, which swaps the old signature for the "
                    + "new one (sign-file would append a second one, leaving the first inside the signed content). "
                    + "The file is written to a temporary file and renamed, so it is never left half-written. "
                    + "Sign the uncompressed .ko, then compress, as kbuild does.",
            ""
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  kharden modsig sign --key certs/signing_key.pem --cert certs/signing_key.x509 mymod.ko",
            "  kharden modsig sign --key key.pem --cert key.pem --hash sha512 --key-id mymod.ko signed/mymod.ko",
            "",
            "Exit codes: 0 signed; 2 bad usage, unreadable key, or module refused.",
        })
public final class ModsigSignCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--key", paramLabel = "KEY", required = true,
            description = "Private key: PEM (PKCS#8, RSA or EC; may share a file with the certificate) or PKCS#8 DER.")
    Path key;

    @Option(names = "--cert", paramLabel = "CERT", required = true,
            description = "The key's X.509 certificate, PEM or DER (names the signer in the signature).")
    Path cert;

    @Option(names = "--hash", paramLabel = "ALG", defaultValue = "sha256",
            description = "Digest: sha1, sha224, sha256, sha384, sha512, sha3-256, sha3-384, sha3-512 (default sha256).")
    String hash;

    @Option(names = "--key-id",
            description = "Name the signer by its subject key identifier instead of issuer and serial (sign-file -k).")
    boolean keyId;

    @Option(names = "--replace", description = "Replace an existing signature instead of refusing.")
    boolean replace;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text", description = "text or json.")
    ModsigCommand.Format format;

    @Parameters(index = "0", paramLabel = "MODULE", description = "Uncompressed module to sign.")
    Path module;

    @Parameters(index = "1", paramLabel = "OUT", arity = "0..1",
            description = "Where to write the signed module (default: replace MODULE).")
    Path out;

    @Override
    public Integer call() throws IOException {
        Args.notStandardOutput("OUT", out, "a signed module is written to a file",
                "name the signed copy, or leave OUT out to sign MODULE in place");
        if (out != null && TerminalProgress.namesTerminal(out)) {
            throw new UsageException("refusing to write a signed module (binary) to the terminal", "name a file for OUT");
        }
        if (out == null && java.nio.file.Files.exists(module) && !java.nio.file.Files.isRegularFile(module)) {
            throw new UsageException(module + " is not a regular file (a pipe or device): signed in place, the module would go nowhere",
                    "name OUT for the signed copy");
        }
        Algorithms.Digest digest = Algorithms.digestByName(hash);
        if (digest == null) {
            throw new UsageException("unknown --hash " + hash, "use sha256, sha384, sha512, sha224, sha1 or sha3-256/384/512");
        }
        List<TrustedCert> certs = CertificateFiles.read(cert);
        var privateKey = SigningKey.read(key);
        byte[] m = BoundedFile.read(module, ModuleImage.DEFAULT_LIMIT, "a kernel module");
        String name = module.toString();
        if (Compression.detect(m, 0) != Compression.NONE) {
            throw InputException.ofFile(name, "is " + Compression.detect(m, 0).word() + "-compressed; sign the "
                    + "uncompressed .ko, then compress it (kbuild order: sign, then compress)");
        }
        if (m.length < 4 || m[0] != 0x7f || m[1] != 'E' || m[2] != 'L' || m[3] != 'F') {
            throw InputException.ofFile(name, "is not an ELF module");
        }
        if (SignatureTrailer.hasMagic(m, m.length)) {
            if (!replace) {
                throw new UsageException(name + " is already signed",
                        "pass --replace to replace its signature (sign-file would append a second one)");
            }
            byte[] stripped = ModuleSigner.stripSignature(m);
            if (stripped == null) {
                throw InputException.ofFile(name, "carries a malformed signature that cannot be removed safely");
            }
            m = stripped;
        }
        byte[] signed;
        TrustedCert c = certs.getFirst();
        try {
            signed = ModuleSigner.sign(m, new ModuleSigner.Options(privateKey, c, digest, keyId));
        } catch (GeneralSecurityException e) {
            throw InputException.ofFile(key.toString(), "cannot sign: " + e.getMessage());
        }
        Path target = out == null ? module : out;
        Args.notAnInput("OUT", target, java.util.Arrays.asList(key, cert)); // in place over MODULE is the default
        Terminal.writeAtomically(target, signed);
        int sigLen = signed.length - m.length - SignatureTrailer.SIZE - SignatureTrailer.MAGIC.length;
        var w = spec.commandLine().getOut();
        if (format == ModsigCommand.Format.json) {
            try (dev.kharden.modsig.ModsigReport r = new dev.kharden.modsig.ModsigReport(w, true, "sign", null)) {
                var g = r.json();
                r.counted("signed");
                g.writeStartObject();
                g.writeStringField("path", target.toString());
                g.writeStringField("status", "signed");
                g.writeStringField("digest", digest.name());
                g.writeStringField("keyAlgorithm", c.keyAlgorithm());
                g.writeStringField("signer", keyId ? "subject key id " + c.subjectKeyIdHex() : c.issuer() + ", serial " + c.serialHex());
                g.writeNumberField("sig_len", sigLen);
                g.writeEndObject();
            }
        } else {
            w.println("signed " + target + ": " + digest.name() + "/" + c.keyAlgorithm() + " by " + c.subject()
                    + (keyId ? " (key id " + c.subjectKeyIdHex() + ")" : " (serial " + c.serialHex() + ")")
                    + ", " + sigLen + "-byte signature");
        }
        return ExitCodes.OK;
    }
}
