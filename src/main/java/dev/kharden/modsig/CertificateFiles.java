package dev.kharden.modsig;

import dev.kharden.input.InputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * Reads trusted certificates from a file: PEM (any number of CERTIFICATE blocks, other blocks such
 * as a private key ignored, as in the kernel's signing_key.pem) or DER (one certificate, or several
 * back to back like the kernel's system_certificate_list). Bad input is an {@link InputException}.
 */
public final class CertificateFiles {
    private static final int MAX_BYTES = 16 << 20;
    private static final String BEGIN = "-----BEGIN CERTIFICATE-----";
    private static final String END = "-----END CERTIFICATE-----";

    public static List<TrustedCert> read(Path path) {
        String name = path.toString();
        byte[] raw = BoundedFile.read(path, MAX_BYTES, "a certificate file");
        return parse(raw, name);
    }

    /** Parses PEM or DER bytes; {@code name} is how reports refer to the source. */
    public static List<TrustedCert> parse(byte[] raw, String name) {
        List<TrustedCert> out = new ArrayList<>();
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        if (text.contains("-----BEGIN ")) {
            int at = 0;
            int n = 0;
            while ((at = text.indexOf(BEGIN, at)) >= 0) {
                int end = text.indexOf(END, at);
                if (end < 0) {
                    throw InputException.ofFile(name, "PEM certificate block without END line");
                }
                String b64 = text.substring(at + BEGIN.length(), end).replaceAll("\\s+", "");
                byte[] der;
                try {
                    der = Base64.getDecoder().decode(b64);
                } catch (IllegalArgumentException e) {
                    throw InputException.ofFile(name, "PEM certificate block is not valid base64");
                }
                n++;
                out.add(TrustedCert.parse(der, name + (n > 1 ? "#" + n : "")));
                at = end + END.length();
            }
            if (out.isEmpty()) {
                throw InputException.ofFile(name, "PEM file holds no CERTIFICATE block");
            }
            return out;
        }
        int at = 0;
        while (at < raw.length) {
            int len = DerLength.sequenceLength(raw, at);
            if (len < 0) {
                throw InputException.ofFile(name, "neither PEM nor a DER certificate at byte " + at);
            }
            out.add(TrustedCert.parse(java.util.Arrays.copyOfRange(raw, at, at + len),
                    name + (at > 0 || len < raw.length ? "@" + at : "")));
            at += len;
        }
        if (out.isEmpty()) {
            throw InputException.ofFile(name, "empty certificate file");
        }
        return out;
    }

    private CertificateFiles() {
    }
}
