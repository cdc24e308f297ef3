package dev.kharden.seal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The bundle's table of contents, MANIFEST.json: every entry with its size and SHA-256, facts about
 * the machine (kernel release, build id, whether kallsyms values are real), and notes on what could
 * not be collected and why. It is the last-but-one tar entry (hashes are known only after streaming)
 * and is what the optional signature covers. Format spec: docs/sealing.md.
 */
public record Manifest(String schema, String created, String generator, Map<String, String> facts,
        List<String> notes, List<Entry> entries) {
    /** Version of the manifest format; readers refuse other major versions. */
    public static final String SCHEMA = "kharden-bundle/1";
    public static final String NAME = "MANIFEST.json";
    public static final String SIGNATURE_NAME = "MANIFEST.sig";

    /** One archive entry: name inside the bundle, size, SHA-256 (hex), where it came from. */
    public record Entry(String name, long size, String sha256, String source, String collector) {
    }

    public Manifest {
        facts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(facts));
        notes = List.copyOf(notes);
        entries = List.copyOf(entries);
    }

    /** The manifest as canonical JSON bytes (the signed form). */
    public byte[] toJson() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (JsonGenerator g = new JsonFactory().createGenerator(out)) {
            g.useDefaultPrettyPrinter();
            write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.write('\n');
        return out.toByteArray();
    }

    /** Writes the manifest as one JSON object with the given generator. */
    public void write(JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("schema", schema);
        g.writeStringField("created", created);
        g.writeStringField("generator", generator);
        g.writeObjectFieldStart("facts");
        for (Map.Entry<String, String> f : facts.entrySet()) {
            g.writeStringField(f.getKey(), f.getValue());
        }
        g.writeEndObject();
        g.writeArrayFieldStart("notes");
        for (String n : notes) {
            g.writeString(n);
        }
        g.writeEndArray();
        g.writeArrayFieldStart("entries");
        for (Entry e : entries) {
            g.writeStartObject();
            g.writeStringField("name", e.name());
            g.writeNumberField("size", e.size());
            g.writeStringField("sha256", e.sha256());
            g.writeStringField("source", e.source());
            g.writeStringField("collector", e.collector());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    /** Parses MANIFEST.json; throws IOException with a reason when it is not one we can read. */
    public static Manifest parse(byte[] json) throws IOException {
        String schema = null;
        String created = "";
        String generator = "";
        Map<String, String> facts = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        List<Entry> entries = new ArrayList<>();
        try (JsonParser p = new JsonFactory().createParser(json)) {
            expect(p.nextToken(), JsonToken.START_OBJECT);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                switch (field) {
                    case "schema" -> schema = text(p, t);
                    case "created" -> created = text(p, t);
                    case "generator" -> generator = text(p, t);
                    case "facts" -> {
                        expect(t, JsonToken.START_OBJECT);
                        while (p.nextToken() == JsonToken.FIELD_NAME) {
                            String k = p.currentName();
                            facts.put(k, text(p, p.nextToken()));
                        }
                    }
                    case "notes" -> {
                        expect(t, JsonToken.START_ARRAY);
                        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                            notes.add(text(p, t));
                        }
                    }
                    case "entries" -> {
                        expect(t, JsonToken.START_ARRAY);
                        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                            expect(t, JsonToken.START_OBJECT);
                            entries.add(entry(p));
                        }
                    }
                    default -> p.skipChildren();
                }
            }
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IOException("MANIFEST.json is not valid JSON: " + e.getOriginalMessage());
        }
        if (schema == null || !schema.startsWith("kharden-bundle/")) {
            throw new IOException("MANIFEST.json has no kharden-bundle schema");
        }
        if (!schema.equals(SCHEMA)) {
            throw new IOException("MANIFEST.json has schema " + schema + "; this kharden reads " + SCHEMA);
        }
        return new Manifest(schema, created, generator, facts, notes, entries);
    }

    private static Entry entry(JsonParser p) throws IOException {
        String name = null;
        long size = -1;
        String sha = null;
        String source = "";
        String collector = "";
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String field = p.currentName();
            JsonToken t = p.nextToken();
            switch (field) {
                case "name" -> name = text(p, t);
                case "size" -> {
                    expect(t, JsonToken.VALUE_NUMBER_INT);
                    size = p.getLongValue();
                }
                case "sha256" -> sha = text(p, t);
                case "source" -> source = text(p, t);
                case "collector" -> collector = text(p, t);
                default -> p.skipChildren();
            }
        }
        if (name == null || size < 0 || sha == null || !sha.matches("[0-9a-f]{64}")) {
            throw new IOException("MANIFEST.json has an entry without name, size or sha256");
        }
        return new Entry(name, size, sha, source, collector);
    }

    private static String text(JsonParser p, JsonToken t) throws IOException {
        expect(t, JsonToken.VALUE_STRING);
        return p.getText();
    }

    private static void expect(JsonToken got, JsonToken want) throws IOException {
        if (got != want) {
            throw new IOException("MANIFEST.json: expected " + want + " but found " + got);
        }
    }
}
