package dev.kharden.catalog;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.kharden.input.InputException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a JSON document into plain maps, lists, strings, numbers, booleans and nulls, keeping the line
 * of every object so that validation errors can name it. Uses jackson-core's streaming parser only
 * (databind costs too much start-up time for a command-line tool). Duplicate keys are errors.
 */
final class JsonTree {
    /** A JSON object with the line it starts on. */
    record Obj(Map<String, Object> map, int line) {
    }

    private static final JsonFactory FACTORY = new JsonFactory();

    private JsonTree() {
    }

    static Object read(InputStream in, String source) {
        try (JsonParser p = FACTORY.createParser(in)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                throw InputException.ofFile(source, "is empty, expected a JSON document");
            }
            Object v = value(p, t, source);
            if (p.nextToken() != null) {
                throw new InputException(source, line(p), "unexpected data after the JSON document");
            }
            return v;
        } catch (JsonParseException e) {
            throw new InputException(source, e.getLocation() == null ? 0 : e.getLocation().getLineNr(),
                    "invalid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw InputException.ofFile(source, "cannot read: " + e.getMessage());
        }
    }

    private static Object value(JsonParser p, JsonToken t, String source) throws IOException {
        return switch (t) {
            case START_OBJECT -> {
                int line = line(p);
                Map<String, Object> m = new LinkedHashMap<>();
                JsonToken k;
                while ((k = p.nextToken()) == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    int keyLine = line(p);
                    Object v = value(p, p.nextToken(), source);
                    if (m.put(name, v) != null) {
                        throw new InputException(source, keyLine, "duplicate key '" + name + "'");
                    }
                }
                if (k != JsonToken.END_OBJECT) {
                    throw new InputException(source, line(p), "malformed object");
                }
                yield new Obj(m, line);
            }
            case START_ARRAY -> {
                List<Object> l = new ArrayList<>();
                JsonToken e;
                while ((e = p.nextToken()) != JsonToken.END_ARRAY) {
                    if (e == null) {
                        throw new InputException(source, line(p), "unterminated array");
                    }
                    l.add(value(p, e, source));
                }
                yield l;
            }
            case VALUE_STRING -> p.getText();
            case VALUE_NUMBER_INT -> p.getLongValue();
            case VALUE_NUMBER_FLOAT -> p.getDoubleValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            default -> throw new InputException(source, line(p), "unexpected JSON token " + t);
        };
    }

    private static int line(JsonParser p) {
        return p.currentLocation().getLineNr();
    }
}
