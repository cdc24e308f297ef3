package dev.kharden.symbolize;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.List;
import java.util.OptionalLong;

/**
 * Writes symbolization and redaction results as JSON documents ({@link #SYMBOLIZE_SCHEMA},
 * {@link #REDACT_SCHEMA}; fields in docs/symbolize.md). Addresses are hex strings (64-bit values do
 * not survive JSON numbers in most readers); offsets and sizes are numbers.
 */
public final class SymbolizeJson {
    public static final String SYMBOLIZE_SCHEMA = "kharden-symbolize/1";
    public static final String REDACT_SCHEMA = "kharden-redact/1";

    private SymbolizeJson() {
    }

    public static void write(Symbolizer.Result r, Writer out) {
        try (JsonGenerator g = generator(out)) {
            g.writeStartObject();
            g.writeStringField("schema", SYMBOLIZE_SCHEMA);
            g.writeStringField("log", r.log().source());
            g.writeStringField("arch", r.log().arch().id());
            g.writeStringField("symbols", r.source().description());
            KaslrOffset k = r.source().kaslrOffset();
            g.writeObjectFieldStart("kaslrOffset");
            hex(g, "value", k.origin() == KaslrOffset.Origin.RUNTIME_SYMBOLS ? OptionalLong.empty() : OptionalLong.of(k.value()));
            g.writeStringField("origin", k.origin().id());
            g.writeStringField("detail", k.detail());
            g.writeEndObject();
            strings(g, "notes", r.notes());
            g.writeArrayFieldStart("frames");
            for (Symbolizer.FrameResult fr : r.frames()) {
                frame(g, fr);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("values");
            for (Symbolizer.ValueHit v : r.values()) {
                g.writeStartObject();
                g.writeNumberField("line", v.line());
                g.writeStringField("register", v.label());
                hex(g, "value", OptionalLong.of(v.token().value()));
                g.writeStringField("symbolized", v.resolved().symbolized());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeObjectFieldStart("summary");
            g.writeNumberField("frames", r.frames().size());
            g.writeNumberField("disagreements", r.disagreements());
            g.writeNumberField("values", r.values().size());
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void frame(JsonGenerator g, Symbolizer.FrameResult fr) throws IOException {
        Frame f = fr.frame();
        g.writeStartObject();
        g.writeNumberField("line", f.line());
        g.writeStringField("kind", f.kind().id());
        g.writeStringField("context", f.context());
        g.writeBooleanField("reliable", f.reliable());
        hex(g, "address", f.address());
        g.writeStringField("function", f.function());
        number(g, "offset", f.offset());
        number(g, "size", f.size());
        g.writeStringField("module", f.module());
        if (f.buildId() != null) {
            g.writeStringField("buildId", f.buildId());
        }
        if (f.source() != null) {
            g.writeStringField("source", f.source());
        }
        if (f.inline()) {
            g.writeBooleanField("inline", true);
        }
        g.writeStringField("symbolized", fr.resolved() != null ? fr.resolved().symbolized() : f.symbolic());
        hex(g, "resolvedAddress", fr.address());
        g.writeStringField("check", fr.check().id());
        if (!fr.message().isEmpty()) {
            g.writeStringField("message", fr.message());
        }
        g.writeEndObject();
    }

    public static void writeRedacted(OopsReport log, Redactor.Result r, Writer out) {
        try (JsonGenerator g = generator(out)) {
            g.writeStartObject();
            g.writeStringField("schema", REDACT_SCHEMA);
            g.writeStringField("log", log.source());
            g.writeStringField("arch", log.arch().id());
            g.writeNumberField("maskedValues", r.maskedValues());
            g.writeNumberField("maskedLines", r.maskedLines());
            strings(g, "lines", r.lines());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static JsonGenerator generator(Writer out) throws IOException {
        JsonGenerator g = new JsonFactory().createGenerator(out);
        g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        g.useDefaultPrettyPrinter();
        return g;
    }

    private static void strings(JsonGenerator g, String name, List<String> values) throws IOException {
        g.writeArrayFieldStart(name);
        for (String s : values) {
            g.writeString(s);
        }
        g.writeEndArray();
    }

    private static void hex(JsonGenerator g, String name, OptionalLong v) throws IOException {
        if (v.isPresent()) {
            g.writeStringField(name, "0x" + Long.toHexString(v.getAsLong()));
        } else {
            g.writeNullField(name);
        }
    }

    private static void number(JsonGenerator g, String name, long v) throws IOException {
        if (v >= 0) {
            g.writeNumberField(name, v);
        } else {
            g.writeNullField(name);
        }
    }
}
