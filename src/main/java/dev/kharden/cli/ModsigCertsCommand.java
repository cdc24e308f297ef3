package dev.kharden.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.kharden.modsig.BuiltinCertificates;
import dev.kharden.modsig.ModsigReport;
import dev.kharden.modsig.TrustSources;
import dev.kharden.modsig.TrustedCert;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** `kharden modsig certs`: extracts the built-in trusted certificates from a kernel image. */
@Command(
        addMethodSubcommands = false,
        name = "certs",
        mixinStandardHelpOptions = true,
        description = {
            "Extract the certificates built into a kernel image (system_certificate_list: the module-signing key "
                    + "and CONFIG_SYSTEM_TRUSTED_KEYS), the keys the kernel trusts for modules before any are added "
                    + "at run time (UEFI db/MOK keys of the platform keyring are not in the image).",
            "",
            "Images: x86 bzImage with a gzip, xz, zstd, lzma, bzip2 or lz4 payload (lzo is detected but not "
                    + "supported: no maintained Java decoder), arm64 Image plain or gzip-compressed (Image.gz), EFI "
                    + "zboot images, and ELF vmlinux. A run of certificates is confirmed when the kernel's "
                    + "system_certificate_list_size field follows it.",
            ""
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  kharden modsig certs /boot/vmlinuz-$(uname -r)",
            "  kharden modsig certs /boot/vmlinuz-$(uname -r) --pem > builtin.pem",
            "  kharden modsig certs vmlinuz --output signing_key.x509 --der",
            "",
            "Exit codes: 0 certificates found; 1 none found; 2 not a readable kernel image.",
        })
public final class ModsigCertsCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text (one block per certificate) or json (schema kharden-modsig/1).")
    ModsigCommand.Format format;

    @Option(names = "--pem", description = "Print the certificates as PEM instead of a description.")
    boolean pem;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE",
            description = "Write the certificates to FILE (PEM, or DER back to back with --der), atomically.")
    Path output;

    @Option(names = "--der", description = "With --output: write DER, like the kernel's own certificate list.")
    boolean der;

    @Parameters(paramLabel = "VMLINUZ", description = "Kernel image.")
    Path kernel;

    @Override
    public Integer call() throws IOException {
        if (Args.isDash(output)) {
            if (der) {
                throw new UsageException("--output - with --der: DER is binary, and standard output takes PEM",
                        "name a file for DER, or leave out --der");
            }
            output = null; // the certificates as PEM on standard output, as --pem prints them
            pem = true;
        }
        if (der && output == null) {
            throw new UsageException("--der needs --output FILE (DER is binary)", null);
        }
        Args.notAnInput("--output", output, List.of(kernel));
        if (der && output != null && TerminalProgress.namesTerminal(output)) {
            throw new UsageException("refusing to write DER (binary) to the terminal", "name a file, or leave out --der for PEM");
        }
        List<BuiltinCertificates.Found> found = TrustSources.builtin(kernel);
        PrintWriter out = spec.commandLine().getOut();
        if (output != null) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            for (BuiltinCertificates.Found f : found) {
                bytes.write(der ? f.cert().der() : pem(f.cert()).getBytes(StandardCharsets.US_ASCII));
            }
            Terminal.writeAtomically(output, bytes.toByteArray());
        }
        if (pem) {
            found.forEach(f -> out.print(pem(f.cert())));
        } else if (format == ModsigCommand.Format.json) {
            try (ModsigReport r = new ModsigReport(out, true, "certs", null)) {
                JsonGenerator j = r.json();
                for (BuiltinCertificates.Found f : found) {
                    String status = f.confirmed() ? "builtin" : "unconfirmed";
                    r.counted(status);
                    j.writeStartObject();
                    j.writeStringField("path", kernel.toString());
                    j.writeStringField("status", status);
                    j.writeNumberField("offset", f.offset());
                    j.writeFieldName("certificate");
                    r.cert(f.cert());
                    j.writeEndObject();
                }
            }
        } else {
            for (BuiltinCertificates.Found f : found) {
                TrustedCert c = f.cert();
                out.println(c.subject());
                out.printf(Locale.ROOT, "  %-11s %s%n", "issuer:", c.issuer());
                out.printf(Locale.ROOT, "  %-11s %s%n", "serial:", c.serialHex());
                out.printf(Locale.ROOT, "  %-11s %s%n", "key id:", c.subjectKeyIdHex() == null ? "-" : c.subjectKeyIdHex());
                out.printf(Locale.ROOT, "  %-11s %s %d%n", "key:", c.keyAlgorithm(), c.keyBits());
                out.printf(Locale.ROOT, "  %-11s %s .. %s%n", "valid:", c.notBefore(), c.notAfter());
                out.printf(Locale.ROOT, "  %-11s %s%n", "sha256:", c.sha256Fingerprint());
                out.printf(Locale.ROOT, "  %-11s 0x%x in the uncompressed kernel%s%n", "offset:", f.offset(),
                        f.confirmed() ? " (system_certificate_list, size field confirmed)"
                                : " (UNCONFIRMED: no size field after it; may not be a trusted key)");
            }
            out.println(found.size() + (found.size() == 1 ? " certificate" : " certificates") + " in " + kernel);
        }
        return found.isEmpty() ? ExitCodes.FINDINGS : ExitCodes.OK;
    }

    static String pem(TrustedCert c) {
        return "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(c.der())
                + "\n-----END CERTIFICATE-----\n";
    }
}
