package dev.kharden.report;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import dev.kharden.audit.Finding;
import dev.kharden.audit.Report;
import dev.kharden.audit.Verdict;
import dev.kharden.catalog.BugClass;
import dev.kharden.catalog.Catalog;
import dev.kharden.catalog.Check;
import dev.kharden.catalog.Feature;
import dev.kharden.catalog.OptionType;
import dev.kharden.input.Warning;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes audit reports as a SARIF 2.1.0 log (docs/sarif.md) so code-scanning tools show kharden's
 * findings: one run per audited input, the profile's checks as rules whose metadata and help text
 * come from the catalogue (those the results use), and one result per finding shown. A result's kind carries the verdict
 * (fail, pass, notApplicable, open for unknown); failures get a level from the check's severity.
 */
public final class SarifReport {
    /** The SARIF version written; readers key on it, so it changes only with the format. */
    public static final String VERSION = "2.1.0";
    /** The schema the log declares (the SchemaStore copy of the OASIS 2.1.0 schema, which code scanning uses). */
    public static final String SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json";
    /** Our key in partialFingerprints: stable across runs for one input and one check. */
    static final String FINGERPRINT = "khardenFinding/v1";

    private SarifReport() {
    }

    /**
     * Writes one log for {@code reports}. With {@code all} false, only failing and unknown findings
     * become results (like the text report); passes and not-applicable ones are left out. {@code lines}
     * places each result on its option's line in the input; {@link LineLocator#WHOLE_FILE} places none.
     */
    public static void write(List<Report> reports, Catalog catalog, String toolVersion, boolean all, LineLocator lines,
            Writer out) {
        try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.setPrettyPrinter(new DefaultPrettyPrinter());
            g.writeStartObject();
            g.writeStringField("$schema", SCHEMA_URI);
            g.writeStringField("version", VERSION);
            g.writeArrayFieldStart("runs");
            for (Report r : reports) {
                run(g, r, catalog, toolVersion, all, lines);
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeRaw('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void run(JsonGenerator g, Report r, Catalog catalog, String toolVersion, boolean all, LineLocator lines)
            throws IOException {
        g.writeStartObject();
        g.writeObjectFieldStart("tool");
        g.writeObjectFieldStart("driver");
        g.writeStringField("name", "kharden");
        g.writeStringField("version", toolVersion);
        g.writeStringField("semanticVersion", toolVersion.matches("\\d+\\.\\d+\\.\\d+.*") ? toolVersion : "0.0.0-" + toolVersion);
        // Only the rules that results use: a rule carries its whole help text, and code-scanning
        // services cap the size of an upload.
        List<Finding> shown = r.findings().stream()
                .filter(f -> all || f.verdict() instanceof Verdict.Fail || f.verdict() instanceof Verdict.Unknown).toList();
        g.writeArrayFieldStart("rules");
        Map<String, Integer> ruleIndex = new LinkedHashMap<>();
        for (Finding f : shown) {
            if (ruleIndex.putIfAbsent(f.check().id(), ruleIndex.size()) == null) {
                rule(g, f.check(), f.feature(), catalog);
            }
        }
        g.writeEndArray();
        g.writeEndObject();
        g.writeEndObject();

        // A per-input category keeps code scanning from treating the runs of a batch as one analysis.
        g.writeObjectFieldStart("automationDetails");
        g.writeStringField("id", "kharden-check/" + r.profile() + "/" + r.label() + "/");
        g.writeEndObject();

        g.writeArrayFieldStart("invocations");
        g.writeStartObject();
        g.writeBooleanField("executionSuccessful", r.error() == null);
        g.writeArrayFieldStart("toolExecutionNotifications");
        if (r.error() != null) {
            notification(g, "error", r.error(), null, 0);
        }
        for (Warning w : r.warnings()) {
            notification(g, "warning", w.message(), w.source(), w.line());
        }
        g.writeEndArray();
        g.writeEndObject();
        g.writeEndArray();

        g.writeArrayFieldStart("results");
        for (Finding f : shown) {
            result(g, r, f, ruleIndex.get(f.check().id()), lines);
        }
        g.writeEndArray();

        g.writeObjectFieldStart("properties");
        g.writeStringField("profile", r.profile());
        g.writeStringField("arch", r.arch() == null ? null : r.arch().id());
        g.writeStringField("kernelVersion", r.version() == null ? null : r.version().toString());
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void rule(JsonGenerator g, Check c, Feature f, Catalog catalog) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", c.id());
        g.writeStringField("name", pascal(f.id()));
        text(g, "shortDescription", f.title() + ": " + c.option());
        text(g, "fullDescription", f.summary());
        g.writeObjectFieldStart("defaultConfiguration");
        g.writeStringField("level", level(c.severity()));
        g.writeEndObject();
        g.writeObjectFieldStart("help");
        g.writeStringField("text", FeatureText.plain(f, catalog));
        g.writeStringField("markdown", FeatureText.markdown(f, catalog));
        g.writeEndObject();
        g.writeObjectFieldStart("properties");
        g.writeStringField("feature", f.id());
        // Code scanning ranks security alerts by this CVSS-like number; it follows our severity.
        g.writeStringField("security-severity", switch (c.severity()) {
            case HIGH -> "8.0";
            case MEDIUM -> "5.5";
            case LOW -> "3.0";
        });
        g.writeArrayFieldStart("tags");
        g.writeString("security");
        g.writeString("kernel-hardening");
        for (String bc : f.bugClasses()) {
            BugClass b = catalog.bugClasses().get(bc);
            g.writeString(b == null ? bc : bc + " " + b.name());
        }
        g.writeEndArray();
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void result(JsonGenerator g, Report r, Finding f, int ruleIndex, LineLocator lines) throws IOException {
        g.writeStartObject();
        g.writeStringField("ruleId", f.check().id());
        g.writeNumberField("ruleIndex", ruleIndex);
        g.writeStringField("kind", kind(f.verdict()));
        g.writeStringField("level", f.verdict() instanceof Verdict.Fail ? level(f.check().severity()) : "none");
        text(g, "message", f.check().option() + ": " + f.verdict().reason()
                + " (want " + f.desired() + "; 'kharden explain " + f.feature().id() + "')");
        String file = r.inputs().get(inputKey(f.check().type()));
        if (file != null) {
            // Point at the option's own line when the input has one, so a review shows it in place.
            location(g, file, lines.lineOf(file, f.check().type(), f.check().option()));
        }
        if (f.waived()) {
            // An accepted failure: code-scanning tools show it as suppressed rather than open.
            g.writeArrayFieldStart("suppressions");
            g.writeStartObject();
            g.writeStringField("kind", "external");
            g.writeStringField("status", "accepted");
            g.writeStringField("justification", f.waiver().reason());
            g.writeObjectFieldStart("properties");
            g.writeStringField("expires", f.waiver().expires() == null ? null : f.waiver().expires().toString());
            g.writeStringField("source", f.waiver().source());
            g.writeEndObject();
            g.writeEndObject();
            g.writeEndArray();
        }
        g.writeObjectFieldStart("partialFingerprints");
        g.writeStringField(FINGERPRINT, r.label() + "|" + f.check().id());
        g.writeEndObject();
        g.writeObjectFieldStart("properties");
        g.writeStringField("verdict", f.verdict().id());
        g.writeStringField("option", f.check().option());
        g.writeStringField("desired", f.desired());
        g.writeStringField("actual", f.actual());
        g.writeStringField("severity", f.check().severity().id());
        g.writeStringField("feature", f.feature().id());
        g.writeArrayFieldStart("bugClasses");
        for (String bc : f.feature().bugClasses()) {
            g.writeString(bc);
        }
        g.writeEndArray();
        g.writeEndObject();
        g.writeEndObject();
    }

    private static void notification(JsonGenerator g, String level, String message, String source, int line) throws IOException {
        g.writeStartObject();
        g.writeStringField("level", level);
        text(g, "message", message);
        if (source != null) {
            location(g, source, line);
        }
        g.writeEndObject();
    }

    /** A one-element {@code locations} array: the file, and the line when known (> 0). */
    private static void location(JsonGenerator g, String file, int line) throws IOException {
        g.writeArrayFieldStart("locations");
        g.writeStartObject();
        g.writeObjectFieldStart("physicalLocation");
        g.writeObjectFieldStart("artifactLocation");
        g.writeStringField("uri", uri(file));
        g.writeEndObject();
        if (line > 0) {
            g.writeObjectFieldStart("region");
            g.writeNumberField("startLine", line);
            g.writeEndObject();
        }
        g.writeEndObject();
        g.writeEndObject();
        g.writeEndArray();
    }

    private static void text(JsonGenerator g, String field, String text) throws IOException {
        g.writeObjectFieldStart(field);
        g.writeStringField("text", text);
        g.writeEndObject();
    }

    static String kind(Verdict v) {
        return switch (v) {
            case Verdict.Fail x -> "fail";
            case Verdict.Pass x -> "pass";
            case Verdict.NotApplicable x -> "notApplicable";
            // SARIF's "open": the tool could not decide, more information (an input) is needed.
            case Verdict.Unknown x -> "open";
        };
    }

    static String level(Check.Severity s) {
        return switch (s) {
            case HIGH -> "error";
            case MEDIUM -> "warning";
            case LOW -> "note";
        };
    }

    private static String inputKey(OptionType t) {
        return switch (t) {
            case KCONFIG -> "config";
            case CMDLINE -> "cmdline";
            case SYSCTL -> "sysctl";
            case RUNTIME -> "runtime";
        };
    }

    /** A file name as a URI reference: relative paths stay relative (code scanning resolves them against the checkout). */
    static String uri(String path) {
        try {
            if (path.startsWith("/")) {
                return new URI("file", "", path, null).toASCIIString();
            }
            // A colon in the first segment would read as a scheme: "./" keeps the path relative.
            return new URI(null, null, path.indexOf(':') >= 0 ? "./" + path : path, null).toASCIIString();
        } catch (URISyntaxException e) {
            StringBuilder b = new StringBuilder();
            for (byte x : path.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
                b.append(Character.isLetterOrDigit(x) || "/._-".indexOf(x) >= 0 ? String.valueOf((char) x)
                        : String.format("%%%02X", x & 0xff));
            }
            return b.toString();
        }
    }

    private static String pascal(String kebab) {
        StringBuilder b = new StringBuilder();
        for (String part : kebab.split("[-_.]")) {
            if (!part.isEmpty()) {
                b.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        return b.toString();
    }
}
