package dev.kharden.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import dev.kharden.catalog.Check;
import dev.kharden.catalog.Expr;
import dev.kharden.catalog.Feature;
import dev.kharden.kernel.Arch;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/** Writes one catalogue feature, with its checks, as JSON (shared by `catalog` and `explain`). */
final class FeatureJson {
    private FeatureJson() {
    }

    /** One document: {@code {"schema": SCHEMA, "features": [...]}}, pretty-printed. */
    static void document(String schema, List<Feature> features, java.io.Writer out) {
        try (JsonGenerator g = new com.fasterxml.jackson.core.JsonFactory().createGenerator(out)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.setPrettyPrinter(new com.fasterxml.jackson.core.util.DefaultPrettyPrinter());
            g.writeStartObject();
            g.writeStringField("schema", schema);
            g.writeArrayFieldStart("features");
            for (Feature f : features) {
                write(g, f);
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeRaw('\n');
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static void write(JsonGenerator g, Feature f) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", f.id());
        strings(g, "aliases", f.aliases());
        g.writeStringField("title", f.title());
        g.writeStringField("summary", f.summary());
        g.writeStringField("explanation", f.explanation());
        strings(g, "bugClasses", f.bugClasses());
        g.writeObjectFieldStart("origin");
        strings(g, "lineage", f.origin().lineage());
        g.writeStringField("paxGrsec", f.origin().paxGrsec());
        g.writeStringField("notes", f.origin().notes());
        g.writeEndObject();
        g.writeStringField("since", f.since());
        strings(g, "arch", f.arch().stream().map(Arch::id).sorted().toList());
        g.writeStringField("cost", f.cost());
        g.writeStringField("breaks", f.breaks());
        strings(g, "references", f.references());
        g.writeObjectFieldStart("profiles");
        for (Map.Entry<String, String> e : f.profiles().entrySet()) {
            g.writeStringField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
        g.writeArrayFieldStart("checks");
        for (Check c : f.checks()) {
            g.writeStartObject();
            g.writeStringField("id", c.id());
            g.writeStringField("type", c.type().id());
            g.writeStringField("option", c.option());
            g.writeStringField("expect", c.expect().toString());
            strings(g, "anyOf", c.anyOf().stream().map(Expr::toString).toList());
            strings(g, "allOf", c.allOf().stream().map(Expr::toString).toList());
            strings(g, "requires", c.requires().stream().map(Expr::toString).toList());
            strings(g, "arch", c.arch().stream().map(Arch::id).sorted().toList());
            strings(g, "profiles", c.profiles().stream().sorted().toList());
            g.writeObjectFieldStart("profileExpect");
            for (var e : new java.util.TreeMap<>(c.profileExpect()).entrySet()) { // the same order every run
                g.writeStringField(e.getKey(), e.getValue().toString());
            }
            g.writeEndObject();
            g.writeStringField("severity", c.severity().id());
            g.writeStringField("parity", c.parity());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void strings(JsonGenerator g, String name, List<String> values) throws IOException {
        g.writeArrayFieldStart(name);
        for (String v : values) {
            g.writeString(v);
        }
        g.writeEndArray();
    }
}
