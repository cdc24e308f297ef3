package dev.kharden.report;

import dev.kharden.files.Embedded;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import dev.kharden.audit.Finding;
import dev.kharden.audit.Report;
import dev.kharden.audit.Verdict;
import dev.kharden.input.Warning;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.List;
import java.util.Map;

/**
 * Writes audit reports as the versioned JSON document described in docs/report-format.md: one
 * document per run with a {@code reports} array, one entry per audited input.
 */
public final class JsonReport {
    /** Bumped on any incompatible change to the document's shape. */
    public static final String SCHEMA = "kharden-report/1";

    /**
     * kharden's version, as the build wrote it from the pom into {@code dev/kharden/version.properties}
     * (both the jar and the test classes have it), or "dev" when that resource is missing: what
     * reports, bundles and --version name.
     */
    public static String toolVersion() {
        return VersionHolder.VERSION;
    }

    private static final class VersionHolder {
        /** The class the build embeds version.properties in. */
        static final String EMBEDDED_CLASS = "dev.kharden.report.VersionData";

        static final String VERSION = read();

        private static String read() {
            byte[] embedded = Embedded.bytes(EMBEDDED_CLASS); // the jar stays closed (see Embedded)
            try (java.io.InputStream in = embedded != null ? new java.io.ByteArrayInputStream(embedded)
                    : JsonReport.class.getResourceAsStream("/dev/kharden/version.properties")) {
                if (in == null) {
                    return "dev";
                }
                java.util.Properties p = new java.util.Properties();
                p.load(in);
                String v = p.getProperty("version", "").strip();
                return v.isEmpty() || v.startsWith("${") ? "dev" : v;
            } catch (IOException | IllegalArgumentException e) {
                return "dev";
            }
        }
    }

    private JsonReport() {
    }

    public static void write(List<Report> reports, String toolVersion, Writer out) {
        document(toolVersion, out, g -> {
            for (Report r : reports) {
                report(g, r);
            }
        });
    }

    /**
     * One entry of the {@code reports} array as text, laid out exactly as {@link #write} lays it out
     * inside the document: a batch renders its reports on every core, then writes them in order with
     * {@link #writeRendered}.
     */
    public static String render(Report r) {
        java.io.StringWriter w = new java.io.StringWriter(1 << 18);
        try (JsonGenerator g = new JsonFactory().createGenerator(w)) {
            g.setPrettyPrinter(new NestedPrettyPrinter(1)); // the array's elements sit one level deep
            report(g, r);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    /** The document of {@link #write} from reports already rendered by {@link #render}, in order. */
    public static void writeRendered(List<String> rendered, String toolVersion, Writer out) {
        document(toolVersion, out, g -> {
            for (String r : rendered) {
                g.writeRawValue(r);
            }
        });
    }

    /**
     * Runs the JSON writer once on an empty document, so that its classes are initialised (a
     * background thread calls this while a cold start does other work).
     */
    public static void warmUp() {
        writeRendered(List.of(), "", java.io.Writer.nullWriter());
        render(Report.failed("", Map.of(), "", ""));
        toolVersion(); // read from the jar here, not on the main thread at the end
    }

    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private static void document(String toolVersion, Writer out, Body reports) {
        try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.setPrettyPrinter(new DefaultPrettyPrinter());
            g.writeStartObject();
            g.writeStringField("schema", SCHEMA);
            g.writeObjectFieldStart("tool");
            g.writeStringField("name", "kharden");
            g.writeStringField("version", toolVersion);
            g.writeEndObject();
            g.writeArrayFieldStart("reports");
            reports.write(g);
            g.writeEndArray();
            g.writeEndObject();
            g.writeRaw('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Jackson's default layout, starting {@code level} objects deep. */
    private static final class NestedPrettyPrinter extends DefaultPrettyPrinter {
        private static final long serialVersionUID = 1L;

        NestedPrettyPrinter(int level) {
            _nesting = level;
        }
    }

    private static void report(JsonGenerator g, Report r) throws IOException {
        g.writeStartObject();
        g.writeStringField("label", r.label());
        g.writeObjectFieldStart("inputs");
        for (Map.Entry<String, String> e : r.inputs().entrySet()) {
            g.writeStringField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
        g.writeStringField("arch", r.arch() == null ? null : r.arch().id());
        g.writeStringField("kernelVersion", r.version() == null ? null : r.version().toString());
        g.writeStringField("profile", r.profile());
        g.writeStringField("error", r.error());
        g.writeObjectFieldStart("summary");
        g.writeNumberField("pass", r.count(Verdict.Pass.class));
        g.writeNumberField("fail", r.count(Verdict.Fail.class));
        g.writeNumberField("not_applicable", r.count(Verdict.NotApplicable.class));
        g.writeNumberField("unknown", r.count(Verdict.Unknown.class));
        g.writeNumberField("waived", r.waived());
        g.writeEndObject();
        g.writeArrayFieldStart("warnings");
        for (Warning w : r.warnings()) {
            g.writeStartObject();
            g.writeStringField("source", w.source());
            g.writeNumberField("line", w.line());
            g.writeStringField("message", w.message());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeArrayFieldStart("findings");
        for (Finding f : r.findings()) {
            finding(g, f);
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void finding(JsonGenerator g, Finding f) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", f.check().id());
        g.writeStringField("feature", f.feature().id());
        g.writeStringField("type", f.check().type().id());
        g.writeStringField("option", f.check().option());
        g.writeStringField("desired", f.desired());
        g.writeStringField("actual", f.actual());
        g.writeStringField("verdict", f.verdict().id());
        g.writeStringField("reason", f.verdict().reason());
        g.writeStringField("severity", f.check().severity().id());
        g.writeArrayFieldStart("bugClasses");
        for (String bc : f.feature().bugClasses()) {
            g.writeString(bc);
        }
        g.writeEndArray();
        g.writeObjectFieldStart("origin");
        g.writeArrayFieldStart("lineage");
        for (String l : f.feature().origin().lineage()) {
            g.writeString(l);
        }
        g.writeEndArray();
        g.writeStringField("paxGrsec", f.feature().origin().paxGrsec());
        g.writeEndObject();
        g.writeStringField("doc", "kharden explain " + f.feature().id());
        if (f.waiver() == null) {
            g.writeNullField("waiver");
        } else {
            g.writeObjectFieldStart("waiver");
            g.writeStringField("reason", f.waiver().reason());
            g.writeStringField("expires", f.waiver().expires() == null ? null : f.waiver().expires().toString());
            g.writeStringField("source", f.waiver().source());
            g.writeEndObject();
        }
        g.writeEndObject();
    }
}
