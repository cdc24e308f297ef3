package dev.kharden.policy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.kharden.catalog.Catalog;
import dev.kharden.catalog.Check;
import dev.kharden.catalog.Feature;
import dev.kharden.input.InputException;
import dev.kharden.input.TextSource;
import java.io.IOException;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads a waiver file (docs/waivers.md) in either of its two forms: the line form
 * ({@code TARGET [YYYY-MM-DD] REASON}, {@code #} comments) or JSON ({@code kharden-waivers/1}).
 * Every waiver must name something the catalogue checks and give a reason: a waiver nobody can
 * trace back to a check, or that says nothing about why, is refused with the file and line.
 */
public final class WaiverFile {
    public static final String SCHEMA = "kharden-waivers/1";

    private WaiverFile() {
    }

    public static List<Waiver> read(java.nio.file.Path path, Catalog catalog) {
        TextSource text = TextSource.read(path);
        String all = String.join("\n", text.lines());
        List<Waiver> waivers = all.stripLeading().startsWith("{") ? json(text.name(), all) : lines(text);
        Set<String> known = targets(catalog);
        for (Waiver w : waivers) {
            if (!known.contains(w.target())) {
                throw new InputException(w.source(), w.line(), "waiver names '" + w.target()
                        + "', which is no check id, option or feature of the catalogue ('kharden explain' finds them)");
            }
        }
        return waivers;
    }

    static List<Waiver> lines(TextSource text) {
        List<Waiver> out = new ArrayList<>();
        int n = 0;
        for (String raw : text.lines()) {
            n++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\s+", 3);
            LocalDate expires = null;
            String reason;
            if (parts.length >= 2 && parts[1].matches("\\d+-\\d+-\\d+")) {
                // anything shaped like a date is one: "99999-01-01" must not become a never-expiring reason
                if (!parts[1].matches("\\d{4}-\\d{2}-\\d{2}")) {
                    throw new InputException(text.name(), n, "'" + parts[1] + "' is not a date: write the expiry as YYYY-MM-DD");
                }
                expires = date(parts[1], text.name(), n);
                reason = parts.length == 3 ? parts[2] : "";
            } else {
                reason = line.substring(parts[0].length()).strip();
            }
            if (reason.isEmpty()) {
                throw new InputException(text.name(), n, "waiver for '" + parts[0] + "' gives no reason "
                        + "(write: TARGET [YYYY-MM-DD] REASON)");
            }
            out.add(new Waiver(parts[0], reason, expires, text.name(), n));
        }
        return out;
    }

    static List<Waiver> json(String src, String content) {
        List<Waiver> out = new ArrayList<>();
        try (JsonParser p = new JsonFactory().createParser(content)) {
            expect(p, JsonToken.START_OBJECT, src, "a JSON object at the top");
            String schema = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                p.nextToken();
                switch (key) {
                    case "schema" -> schema = p.getValueAsString();
                    case "waivers" -> {
                        if (p.currentToken() != JsonToken.START_ARRAY) {
                            throw at(p, src, "\"waivers\" must be a list of objects");
                        }
                        while (p.nextToken() == JsonToken.START_OBJECT) {
                            out.add(waiver(p, src));
                        }
                        if (p.currentToken() != JsonToken.END_ARRAY) {
                            throw at(p, src, "\"waivers\" must contain only objects");
                        }
                    }
                    default -> throw at(p, src, "unknown key '" + key + "' (schema, waivers)");
                }
            }
            if (!SCHEMA.equals(schema)) {
                throw new InputException(src, 1, "\"schema\" must be \"" + SCHEMA + "\", found " + schema);
            }
        } catch (JsonProcessingException e) {
            int line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            throw new InputException(src, line, "not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw InputException.ofFile(src, "cannot read: " + e.getMessage());
        }
        return out;
    }

    private static Waiver waiver(JsonParser p, String src) throws IOException {
        int line = p.currentTokenLocation().getLineNr();
        String target = null;
        String reason = null;
        LocalDate expires = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String key = p.currentName();
            JsonToken t = p.nextToken();
            if (t != JsonToken.VALUE_STRING && t != JsonToken.VALUE_NULL) {
                throw at(p, src, "'" + key + "' must be a string");
            }
            String v = p.getValueAsString();
            switch (key) {
                case "id", "option", "target" -> target = v;
                case "reason" -> reason = v;
                case "expires" -> expires = v == null ? null : date(v, src, p.currentTokenLocation().getLineNr());
                default -> throw at(p, src, "unknown key '" + key + "' in waiver (id, reason, expires)");
            }
        }
        if (target == null || target.isBlank()) {
            throw new InputException(src, line, "waiver needs an \"id\" (a check id, option or feature)");
        }
        if (reason == null || reason.isBlank()) {
            throw new InputException(src, line, "waiver for '" + target + "' gives no \"reason\"");
        }
        return new Waiver(target.strip(), reason.strip(), expires, src, line);
    }

    private static void expect(JsonParser p, JsonToken t, String src, String what) throws IOException {
        if (p.nextToken() != t) {
            throw at(p, src, "expected " + what);
        }
    }

    private static InputException at(JsonParser p, String src, String reason) {
        return new InputException(src, p.currentTokenLocation().getLineNr(), reason);
    }

    private static LocalDate date(String s, String src, int line) {
        try {
            return LocalDate.parse(s);
        } catch (DateTimeParseException e) {
            throw new InputException(src, line, "'" + s + "' is not a date (write YYYY-MM-DD)");
        }
    }

    private static Set<String> targets(Catalog catalog) {
        Set<String> known = new HashSet<>();
        for (Feature f : catalog.features()) {
            known.add(f.id());
            for (Check c : f.checks()) {
                known.add(c.id());
                known.add(c.option());
            }
        }
        return known;
    }
}
