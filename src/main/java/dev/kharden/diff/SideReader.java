package dev.kharden.diff;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.kharden.audit.Auditor;
import dev.kharden.audit.Finding;
import dev.kharden.audit.Inputs;
import dev.kharden.audit.Report;
import dev.kharden.catalog.Catalog;
import dev.kharden.input.InputException;
import dev.kharden.input.TextSource;
import dev.kharden.kconfig.KconfigParser;
import dev.kharden.kconfig.KernelConfig;
import dev.kharden.kernel.Arch;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a diff argument into a {@link Side}: a kernel config is audited under the given profile; a
 * JSON report ({@code kharden-report/1}, one input) is read as it is, with its own profile. A file
 * is taken for a report when its first non-blank character is '{'.
 */
public final class SideReader {
    static final String REPORT_SCHEMA = "kharden-report/1";

    private SideReader() {
    }

    public static Side read(Path path, Catalog catalog, String profile, Arch archOverride) {
        TextSource text = TextSource.read(path);
        String all = String.join("\n", text.lines());
        if (all.stripLeading().startsWith("{")) {
            return report(text.name(), all);
        }
        KernelConfig kc = KconfigParser.parse(text);
        Arch a = archOverride != null ? archOverride : kc.arch().orElseThrow(() -> new InputException(text.name(), 0,
                "cannot tell the architecture; pass --arch"));
        Report r = new Auditor(catalog).audit(new Inputs(kc, null, null, null, a, kc.version().orElse(null)), profile,
                Map.of("config", text.name()));
        Map<String, Side.Entry> entries = new LinkedHashMap<>();
        for (Finding f : r.findings()) {
            entries.put(f.check().id(), new Side.Entry(f.check().id(), f.check().option(), f.feature().id(),
                    f.verdict().id(), f.check().severity().id(), f.feature().bugClasses(), f.actual()));
        }
        return new Side(text.name(), profile, entries);
    }

    @SuppressWarnings("unchecked")
    static Side report(String src, String json) {
        Object root;
        try (JsonParser p = new JsonFactory().createParser(json)) {
            p.nextToken();
            root = value(p);
            if (p.nextToken() != null) {
                throw new InputException(src, p.currentTokenLocation().getLineNr(), "text after the JSON document");
            }
        } catch (JsonProcessingException e) {
            throw new InputException(src, e.getLocation() == null ? 0 : e.getLocation().getLineNr(),
                    "not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw InputException.ofFile(src, "cannot read: " + e.getMessage());
        }
        if (!(root instanceof Map<?, ?> doc) || !REPORT_SCHEMA.equals(doc.get("schema"))) {
            throw InputException.ofFile(src, "not a kharden JSON report (\"schema\": \"" + REPORT_SCHEMA + "\")");
        }
        if (!(doc.get("reports") instanceof List<?> reports) || reports.size() != 1) {
            throw InputException.ofFile(src, "a diff compares one input with one: this report must hold exactly one entry in \"reports\"");
        }
        Map<String, Object> r = (Map<String, Object>) reports.get(0);
        if (r.get("error") instanceof String err) {
            throw InputException.ofFile(src, "its input could not be audited: " + err);
        }
        Map<String, Side.Entry> entries = new LinkedHashMap<>();
        for (Object o : r.get("findings") instanceof List<?> l ? l : List.of()) {
            Map<String, Object> f = (Map<String, Object>) o;
            String id = string(f, "id", src);
            List<String> bcs = new ArrayList<>();
            if (f.get("bugClasses") instanceof List<?> b) {
                b.forEach(x -> bcs.add(String.valueOf(x)));
            }
            String verdict = string(f, "verdict", src);
            if (f.get("waiver") instanceof Map<?, ?>) {
                verdict = "waived";
            }
            entries.put(id, new Side.Entry(id, string(f, "option", src), (String) f.get("feature"), verdict,
                    (String) f.get("severity"), bcs, (String) f.get("actual")));
        }
        return new Side(String.valueOf(r.get("label")), String.valueOf(r.get("profile")), entries);
    }

    private static String string(Map<String, Object> f, String key, String src) {
        if (f.get(key) instanceof String s) {
            return s;
        }
        throw InputException.ofFile(src, "a finding lacks \"" + key + "\"");
    }

    /** A JSON value as maps, lists, strings, numbers, booleans and null. */
    private static Object value(JsonParser p) throws IOException {
        JsonToken t = p.currentToken();
        if (t == null) {
            throw new InputException("JSON", 0, "empty document");
        }
        return switch (t) {
            case START_OBJECT -> {
                Map<String, Object> m = new LinkedHashMap<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String k = p.currentName();
                    p.nextToken();
                    m.put(k, value(p));
                }
                yield m;
            }
            case START_ARRAY -> {
                List<Object> l = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    l.add(value(p));
                }
                yield l;
            }
            case VALUE_STRING -> p.getText();
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> p.getNumberValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            default -> null;
        };
    }
}
