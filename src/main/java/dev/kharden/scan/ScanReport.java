package dev.kharden.scan;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The one job: write a scan's results as text (grouped by file), JSON ({@value #SCHEMA}) or SARIF
 * 2.1.0 (one result per finding with file, line and column, so code scanning shows it inline).
 *
 * @param versionSource where the kernel version came from: "option", "tree" or "default"
 */
public record ScanReport(ScanOptions options, String versionSource, List<FileResult> files, long nanos) {
    /** The JSON report's schema id; bump it when a field changes meaning. */
    public static final String SCHEMA = "kharden-scan/1";
    private static final String SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";

    public List<Finding> findings() {
        List<Finding> out = new ArrayList<>();
        for (FileResult f : files) {
            out.addAll(f.findings());
        }
        return out;
    }

    public long count(FileResult.Status s) {
        return files.stream().filter(f -> f.status() == s).count();
    }

    /** Text grouped by file: each finding, its helper and rewritten call; then skips, errors, summary. */
    public void text(Writer w) {
        try {
            for (FileResult f : files) {
                if (f.findings().isEmpty()) {
                    continue;
                }
                w.write(f.path() + "\n");
                for (Finding x : f.findings()) {
                    w.write(String.format("  %d:%d  %s  %s%s%n", x.line(), x.column(), x.rule().id(), x.message(),
                            x.inMacro() ? " [in a macro body]" : ""));
                    if (x.suggestion() != null) {
                        w.write("        suggestion: " + x.suggestion() + "\n");
                    }
                }
                w.write("\n");
            }
            for (FileResult f : files) {
                for (String warn : f.warnings()) {
                    w.write("warning: " + f.path() + ":" + warn + "\n");
                }
                if (f.status() != FileResult.Status.SCANNED) {
                    w.write((f.status() == FileResult.Status.ERROR ? "error: " : "skipped: ") + f.path() + ": "
                            + f.reason() + "\n");
                }
            }
            w.write(summary() + "\n");
            w.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One line: findings, files, skips, errors, kernel version and time. */
    public String summary() {
        long withFindings = files.stream().filter(f -> !f.findings().isEmpty()).count();
        return String.format("%d finding%s in %d file%s; %d file%s scanned, %d skipped, %d error%s; "
                        + "suggestions for kernel %s (%s); %.1f s",
                findings().size(), findings().size() == 1 ? "" : "s", withFindings, withFindings == 1 ? "" : "s",
                count(FileResult.Status.SCANNED), count(FileResult.Status.SCANNED) == 1 ? "" : "s",
                count(FileResult.Status.SKIPPED), count(FileResult.Status.ERROR),
                count(FileResult.Status.ERROR) == 1 ? "" : "s", options.version(), versionSource, nanos / 1e9);
    }

    /** The JSON report (schema {@value #SCHEMA}). */
    public void json(Writer w) {
        document(w, g -> {
            g.writeStartObject();
            g.writeStringField("schema", SCHEMA);
            g.writeStringField("kernelVersion", options.version().toString());
            g.writeStringField("kernelVersionSource", versionSource);
            g.writeObjectFieldStart("policy");
            g.writeBooleanField("macrosAsVariables", options.macrosAsVariables());
            g.writeBooleanField("macroBodies", options.macroBodies());
            g.writeBooleanField("wrappers", options.wrappers());
            g.writeArrayFieldStart("rules");
            for (Rule r : sortedRules(options.rules())) {
                g.writeString(r.id());
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeObjectFieldStart("summary");
            g.writeNumberField("files", files.size());
            g.writeNumberField("scanned", count(FileResult.Status.SCANNED));
            g.writeNumberField("skipped", count(FileResult.Status.SKIPPED));
            g.writeNumberField("errors", count(FileResult.Status.ERROR));
            g.writeNumberField("findings", findings().size());
            g.writeNumberField("seconds", Math.round(nanos / 1e6) / 1e3);
            g.writeEndObject();
            g.writeArrayFieldStart("findings");
            for (Finding f : findings()) {
                g.writeStartObject();
                g.writeStringField("file", f.file());
                g.writeNumberField("line", f.line());
                g.writeNumberField("column", f.column());
                g.writeNumberField("endLine", f.endLine());
                g.writeNumberField("endColumn", f.endColumn());
                g.writeStringField("rule", f.rule().id());
                g.writeStringField("callee", f.callee());
                g.writeStringField("expression", f.expression());
                g.writeStringField("helper", f.helper());
                if (f.suggestion() != null) {
                    g.writeStringField("suggestion", f.suggestion());
                }
                g.writeStringField("message", f.message());
                g.writeBooleanField("inMacro", f.inMacro());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("files");
            for (FileResult f : files) {
                if (f.status() == FileResult.Status.SCANNED && f.warnings().isEmpty()) {
                    continue;
                }
                g.writeStartObject();
                g.writeStringField("path", f.path());
                g.writeStringField("status", f.status().name().toLowerCase(java.util.Locale.ROOT));
                if (f.reason() != null) {
                    g.writeStringField("reason", f.reason());
                }
                if (!f.warnings().isEmpty()) {
                    g.writeArrayFieldStart("warnings");
                    for (String s : f.warnings()) {
                        g.writeString(s);
                    }
                    g.writeEndArray();
                }
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    /** Writes by hand with generators: {@code body} may throw IOException. */
    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    /** One pretty-printed JSON document on {@code w}, ended by a newline and flushed. */
    private static void document(Writer w, Body body) {
        try (JsonGenerator g = new JsonFactory().createGenerator(w)) {
            g.useDefaultPrettyPrinter();
            body.write(g);
            g.flush();
            w.write("\n");
            w.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SARIF 2.1.0: rules with their docs, one result per finding, notifications for skips and errors. */
    public void sarif(Writer w, String toolVersion) {
        document(w, g -> {
            g.writeStartObject();
            g.writeStringField("$schema", SARIF_SCHEMA);
            g.writeStringField("version", "2.1.0");
            g.writeArrayFieldStart("runs");
            g.writeStartObject();
            g.writeObjectFieldStart("tool");
            g.writeObjectFieldStart("driver");
            g.writeStringField("name", "kharden scan");
            g.writeStringField("version", toolVersion);
            g.writeArrayFieldStart("rules");
            Map<Rule, Integer> index = new LinkedHashMap<>();
            for (Rule r : Rule.values()) {
                index.put(r, index.size());
                g.writeStartObject();
                g.writeStringField("id", r.id());
                g.writeStringField("name", r.name());
                g.writeObjectFieldStart("shortDescription");
                g.writeStringField("text", r.summary());
                g.writeEndObject();
                g.writeObjectFieldStart("fullDescription");
                g.writeStringField("text", r.explanation());
                g.writeEndObject();
                g.writeStringField("helpUri", r.doc());
                g.writeObjectFieldStart("defaultConfiguration");
                g.writeStringField("level", "warning");
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeEndObject();
            g.writeStringField("columnKind", "utf16CodeUnits");
            g.writeArrayFieldStart("results");
            for (Finding f : findings()) {
                g.writeStartObject();
                g.writeStringField("ruleId", f.rule().id());
                g.writeNumberField("ruleIndex", index.get(f.rule()));
                g.writeStringField("level", "warning");
                g.writeObjectFieldStart("message");
                g.writeStringField("text", f.message() + (f.suggestion() == null ? "" : ". Suggestion: " + f.suggestion()));
                g.writeEndObject();
                g.writeArrayFieldStart("locations");
                g.writeStartObject();
                g.writeObjectFieldStart("physicalLocation");
                g.writeObjectFieldStart("artifactLocation");
                g.writeStringField("uri", uri(f.file()));
                g.writeEndObject();
                g.writeObjectFieldStart("region");
                g.writeNumberField("startLine", f.line());
                g.writeNumberField("startColumn", f.column());
                g.writeNumberField("endLine", f.endLine());
                g.writeNumberField("endColumn", f.endColumn());
                g.writeEndObject();
                g.writeEndObject();
                g.writeEndObject();
                g.writeEndArray();
                g.writeObjectFieldStart("properties");
                g.writeStringField("helper", f.helper());
                g.writeStringField("expression", f.expression());
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("invocations");
            g.writeStartObject();
            g.writeBooleanField("executionSuccessful", count(FileResult.Status.ERROR) == 0);
            g.writeArrayFieldStart("toolExecutionNotifications");
            for (FileResult f : files) {
                if (f.status() == FileResult.Status.SCANNED) {
                    continue;
                }
                g.writeStartObject();
                g.writeStringField("level", f.status() == FileResult.Status.ERROR ? "error" : "note");
                g.writeObjectFieldStart("message");
                g.writeStringField("text", f.path() + ": " + f.reason());
                g.writeEndObject();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeEndArray();
            g.writeEndObject();
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    /** A relative path as a SARIF URI reference: separators kept, everything unsafe percent-encoded. */
    static String uri(String path) {
        StringBuilder sb = new StringBuilder();
        for (byte b : path.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "-._~/".indexOf(c) >= 0) {
                sb.append((char) c);
            } else {
                sb.append('%').append(String.format("%02X", c));
            }
        }
        return sb.toString();
    }

    private static List<Rule> sortedRules(Set<Rule> rules) {
        return new ArrayList<>(EnumSet.copyOf(rules));
    }
}
