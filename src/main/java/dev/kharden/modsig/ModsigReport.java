package dev.kharden.modsig;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes modsig results, streaming one module at a time, as readable text or as JSON (schema
 * {@value #SCHEMA}: {@code {"schema", "command", "trusted": [...], "modules": [...], "summary": {...}}},
 * one object per module with at least {@code path} and {@code status}). The field names of the
 * trailer are the kernel's own (struct module_signature).
 */
public final class ModsigReport implements AutoCloseable {
    public static final String SCHEMA = "kharden-modsig/1";

    private final PrintWriter out;
    private final JsonGenerator json;
    private final Map<String, Integer> counts = new TreeMap<>();
    private final Map<Status, Integer> statusCounts = new EnumMap<>(Status.class);
    private int total;

    public ModsigReport(PrintWriter out, boolean asJson, String command, List<TrustedCert> trusted) {
        this.out = out;
        try {
            if (asJson) {
                json = new JsonFactory().createGenerator(out);
                json.useDefaultPrettyPrinter();
                json.writeStartObject();
                json.writeStringField("schema", SCHEMA);
                json.writeStringField("command", command);
                if (trusted != null) {
                    json.writeArrayFieldStart("trusted");
                    for (TrustedCert c : trusted) {
                        cert(c);
                    }
                    json.writeEndArray();
                }
                json.writeArrayFieldStart("modules");
            } else {
                json = null;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int total() {
        return total;
    }

    public int count(Status s) {
        return statusCounts.getOrDefault(s, 0);
    }

    /**
     * Counts an entry that a command wrote itself through {@link #json()} (certs' certificates, sign's
     * module), so the summary covers it.
     */
    public void counted(String status) {
        total++;
        counts.merge(status, 1, Integer::sum);
    }

    // ---- verify ----

    public void verdict(Verdict v) {
        total++;
        counts.merge(v.status().word(), 1, Integer::sum);
        statusCounts.merge(v.status(), 1, Integer::sum);
        try {
            if (json == null) {
                // The status left-aligned in 12 columns (no Formatter: one line per module of a tree).
                StringBuilder sb = new StringBuilder(v.status().word());
                sb.repeat(' ', Math.max(0, 12 - sb.length())).append(' ').append(v.path());
                if (v.errno() != null) {
                    sb.append("  ").append(v.errno()).append(" (").append(v.failureClass()).append("): ").append(v.reason());
                } else if (v.signedBy() != null) {
                    Pkcs7Signature.Signer s = v.pkcs7().signers().getFirst();
                    sb.append("  ").append(s.digest().name()).append('/').append(s.keyAlgorithm())
                            .append(" by ").append(v.signedBy().subject());
                }
                out.println(sb);
                return;
            }
            json.writeStartObject();
            json.writeStringField("path", v.path());
            json.writeStringField("status", v.status().word());
            errno(v.errno(), v.failureClass());
            json.writeStringField("reason", v.reason());
            if (v.compression() != null) {
                json.writeStringField("compression", v.compression().word());
            }
            if (v.signedLength() >= 0) {
                json.writeNumberField("signedLength", v.signedLength());
            }
            if (v.trailer() != null) {
                trailer(v.trailer());
            }
            if (v.pkcs7() != null) {
                pkcs7(v.pkcs7());
            }
            if (v.signedBy() != null) {
                json.writeFieldName("signedBy");
                cert(v.signedBy());
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- inspect ----

    public void inspection(Inspection i) {
        total++;
        counts.merge(i.status(), 1, Integer::sum);
        try {
            if (json == null) {
                inspectionText(i);
                return;
            }
            json.writeStartObject();
            json.writeStringField("path", i.path());
            json.writeStringField("status", i.status());
            errno(i.errno(), i.errno() == null ? null : i.errno().soft() ? "soft" : "hard");
            json.writeStringField("reason", i.reason());
            if (i.compression() != null) {
                json.writeStringField("compression", i.compression().word());
                json.writeNumberField("fileSize", i.fileSize());
                json.writeNumberField("size", i.size());
            }
            if (i.info() != null) {
                ModuleInfo m = i.info();
                json.writeObjectFieldStart("elf");
                json.writeNumberField("class", m.elfClass());
                json.writeStringField("endian", m.littleEndian() ? "little" : "big");
                json.writeNumberField("type", m.type());
                json.writeStringField("machine", m.machineName());
                json.writeEndObject();
                json.writeObjectFieldStart("modinfo");
                for (String k : List.of("name", "vermagic", "license", "srcversion", "depends", "intree",
                        "retpoline", "livepatch", "description", "author")) {
                    json.writeStringField(k, m.get(k));
                }
                json.writeEndObject();
                json.writeBooleanField("livepatch", "Y".equals(m.get("livepatch")));
            }
            if (i.elfProblem() != null) {
                json.writeStringField("elfProblem", i.elfProblem());
            }
            if (i.trailer() != null) {
                trailer(i.trailer());
            }
            if (i.signatureOffset() >= 0) {
                json.writeNumberField("signatureOffset", i.signatureOffset());
                json.writeNumberField("signedLength", i.signatureOffset());
            }
            if (i.pkcs7() != null) {
                pkcs7(i.pkcs7());
            }
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void inspectionText(Inspection i) {
        out.println(i.path());
        row("status", i.status() + (i.errno() == null ? "" : " (" + i.errno() + ": " + i.reason() + ")"));
        if (i.compression() != null) {
            row("file", i.fileSize() + " bytes" + (i.compression() == Compression.NONE ? ""
                    : ", " + i.compression().word() + " -> " + i.size() + " bytes"));
        }
        if (i.info() != null) {
            ModuleInfo m = i.info();
            row("elf", m.elfClass() + "-bit " + (m.littleEndian() ? "little" : "big") + "-endian, "
                    + (m.type() == ModuleInfo.ET_REL ? "relocatable" : "type " + m.type()) + ", " + m.machineName());
            for (String k : List.of("name", "vermagic", "license", "srcversion", "depends", "intree", "retpoline")) {
                row(k, m.get(k) == null ? "-" : m.get(k).isEmpty() ? "(none)" : m.get(k));
            }
            row("livepatch", "Y".equals(m.get("livepatch")) ? "yes" : "no");
        }
        if (i.elfProblem() != null) {
            row("elf", "unreadable: " + i.elfProblem());
        }
        if (i.trailer() != null) {
            SignatureTrailer t = i.trailer();
            row("trailer", String.format(Locale.ROOT,
                    "algo=%d hash=%d id_type=%d (%s) signer_len=%d key_id_len=%d pad=%d,%d,%d sig_len=%d",
                    t.algo(), t.hash(), t.idType(), t.idTypeName(), t.signerLen(), t.keyIdLen(), t.pad0(), t.pad1(),
                    t.pad2(), t.sigLen()));
        }
        if (i.signatureOffset() >= 0) {
            row("signature", i.signatureLength() + " bytes at offset " + i.signatureOffset()
                    + " (signed content: bytes 0.." + i.signatureOffset() + ")");
        }
        if (i.pkcs7() != null) {
            for (Pkcs7Signature.Signer s : i.pkcs7().signers()) {
                row("signer", s.describeKey());
                row("digest", s.digest() == null ? s.digestOid() + " (unsupported)" : s.digest().name());
                row("sig algo", (s.keyAlgorithm() == null ? "unsupported" : s.keyAlgorithm()) + " (" + s.signatureOid()
                        + "), " + s.signature().length + "-byte signature");
            }
            if (!i.pkcs7().certificates().isEmpty()) {
                row("certs", i.pkcs7().certificates().size() + " carried in the signature");
            }
        }
        out.println();
    }

    private void row(String k, String v) {
        out.printf(Locale.ROOT, "  %-11s %s%n", k + ":", v);
    }

    // ---- shared pieces ----

    private void errno(KernelErrno e, String failureClass) throws IOException {
        if (e == null) {
            json.writeNullField("errno");
            return;
        }
        json.writeStringField("errno", e.name());
        json.writeNumberField("errnoNumber", e.number());
        json.writeStringField("failure", failureClass);
    }

    private void trailer(SignatureTrailer t) throws IOException {
        json.writeObjectFieldStart("trailer");
        json.writeNumberField("algo", t.algo());
        json.writeNumberField("hash", t.hash());
        json.writeNumberField("id_type", t.idType());
        json.writeStringField("id_type_name", t.idTypeName());
        json.writeNumberField("signer_len", t.signerLen());
        json.writeNumberField("key_id_len", t.keyIdLen());
        json.writeArrayFieldStart("pad");
        json.writeNumber(t.pad0());
        json.writeNumber(t.pad1());
        json.writeNumber(t.pad2());
        json.writeEndArray();
        json.writeNumberField("sig_len", t.sigLen());
        json.writeEndObject();
    }

    private void pkcs7(Pkcs7Signature p) throws IOException {
        json.writeObjectFieldStart("pkcs7");
        json.writeNumberField("version", p.version());
        json.writeBooleanField("detached", p.detached());
        json.writeNumberField("certificates", p.certificates().size());
        json.writeArrayFieldStart("signers");
        for (Pkcs7Signature.Signer s : p.signers()) {
            json.writeStartObject();
            json.writeNumberField("version", s.version());
            if (s.subjectKeyId() != null) {
                json.writeStringField("subjectKeyId", Hex.colons(s.subjectKeyId()));
            } else {
                json.writeStringField("issuer", s.issuer().toString());
                json.writeStringField("serial", s.serial().toString(16).toUpperCase(Locale.ROOT));
            }
            json.writeStringField("digest", s.digest() == null ? null : s.digest().name());
            json.writeStringField("digestOid", s.digestOid());
            json.writeStringField("keyAlgorithm", s.keyAlgorithm());
            json.writeStringField("signatureOid", s.signatureOid());
            json.writeNumberField("signatureLength", s.signature().length);
            json.writeBooleanField("signedAttributes", s.signedAttributes());
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeEndObject();
    }

    /** Writes one certificate object (also used by {@code modsig certs}). */
    public void cert(TrustedCert c) throws IOException {
        json.writeStartObject();
        json.writeStringField("subject", c.subject());
        json.writeStringField("issuer", c.issuer());
        json.writeStringField("serial", c.serialHex());
        json.writeStringField("subjectKeyId", c.subjectKeyIdHex());
        json.writeStringField("keyAlgorithm", c.keyAlgorithm());
        json.writeNumberField("keyBits", c.keyBits());
        json.writeStringField("notBefore", c.notBefore());
        json.writeStringField("notAfter", c.notAfter());
        json.writeStringField("sha256", c.sha256Fingerprint());
        json.writeStringField("origin", c.origin());
        json.writeEndObject();
    }

    /** The generator, for commands that add their own fields (null in text mode). */
    public JsonGenerator json() {
        return json;
    }

    /** "4023 modules: 4023 valid" or "3 modules: 1 valid, 1 unknown-key, 1 unsigned". */
    public String summaryLine() {
        StringBuilder sb = new StringBuilder().append(total).append(total == 1 ? " module: " : " modules: ");
        if (total == 0) {
            return sb.append("none found").toString();
        }
        String sep = "";
        for (Map.Entry<String, Integer> e : counts.entrySet()) {
            sb.append(sep).append(e.getValue()).append(' ').append(e.getKey());
            sep = ", ";
        }
        return sb.toString();
    }

    @Override
    public void close() {
        try {
            if (json != null) {
                json.writeEndArray();
                json.writeObjectFieldStart("summary");
                json.writeNumberField("total", total);
                for (Map.Entry<String, Integer> e : counts.entrySet()) {
                    json.writeNumberField(e.getKey(), e.getValue());
                }
                json.writeEndObject();
                json.writeEndObject();
                json.flush();
                out.println();
            } else {
                out.println(summaryLine());
            }
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
