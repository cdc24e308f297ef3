package dev.kharden.docs;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.kharden.input.InputException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Linux kernel defence map as data (defence-map.json, schema {@value #SCHEMA}): defences,
 * vulnerabilities, exploitation techniques and bug detectors, and the edges between them (mitigates,
 * detects, implements, similar). Nodes that are catalogue features say so, and vulnerability or
 * technique nodes name their kharden bug class, so the docs can join the map to the catalogue.
 */
public record DefenceMap(List<Node> nodes, List<Edge> edges) {
    public static final String SCHEMA = "kharden-defence-map/1";
    static final String RESOURCE = "/dev/kharden/docs/defence-map.json";

    /** A node; {@code feature} and {@code bugClass} are null when the node has none. */
    public record Node(String name, String category, String feature, String bugClass) {
        public boolean isDefence() {
            return switch (category) {
                case "mainline", "out-of-tree", "commercial", "hardware", "technique" -> true;
                default -> false;
            };
        }
    }

    public record Edge(String from, String to, String kind) {
    }

    public Optional<Node> node(String name) {
        return nodes.stream().filter(n -> n.name().equals(name)).findFirst();
    }

    /** The built-in map shipped with kharden. */
    public static DefenceMap load() {
        try (InputStream in = DefenceMap.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw InputException.ofFile(RESOURCE, "missing from the kharden jar");
            }
            return read(in, RESOURCE);
        } catch (IOException e) {
            throw InputException.ofFile(RESOURCE, "cannot read: " + e.getMessage());
        }
    }

    static DefenceMap read(InputStream in, String source) throws IOException {
        List<Node> nodes = new ArrayList<>();
        List<Edge> edges = new ArrayList<>();
        String schema = null;
        try (JsonParser p = new JsonFactory().createParser(in)) {
            expect(p, p.nextToken(), JsonToken.START_OBJECT, source);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken t = p.nextToken();
                switch (field) {
                    case "schema" -> schema = p.getValueAsString();
                    case "nodes" -> {
                        expect(p, t, JsonToken.START_ARRAY, source);
                        while (p.nextToken() == JsonToken.START_OBJECT) {
                            Map<String, String> o = strings(p, source);
                            nodes.add(new Node(required(o, "name", p, source), required(o, "category", p, source),
                                    o.get("feature"), o.get("bugClass")));
                        }
                    }
                    case "edges" -> {
                        expect(p, t, JsonToken.START_ARRAY, source);
                        while (p.nextToken() == JsonToken.START_OBJECT) {
                            Map<String, String> o = strings(p, source);
                            edges.add(new Edge(required(o, "from", p, source), required(o, "to", p, source),
                                    required(o, "kind", p, source)));
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            if (!SCHEMA.equals(schema)) {
                throw InputException.ofFile(source, "schema is " + schema + ", expected " + SCHEMA);
            }
            DefenceMap map = new DefenceMap(List.copyOf(nodes), List.copyOf(edges));
            Map<String, Node> byName = new HashMap<>();
            nodes.forEach(n -> byName.put(n.name(), n));
            for (Edge e : edges) {
                if (!byName.containsKey(e.from()) || !byName.containsKey(e.to())) {
                    throw InputException.ofFile(source, "edge " + e.from() + " -> " + e.to() + " names an unknown node");
                }
            }
            return map;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new InputException(source, e.getLocation() == null ? 0 : e.getLocation().getLineNr(), e.getOriginalMessage());
        }
    }

    private static Map<String, String> strings(JsonParser p, String source) throws IOException {
        Map<String, String> o = new HashMap<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String k = p.currentName();
            JsonToken v = p.nextToken();
            if (v != JsonToken.VALUE_STRING && v != JsonToken.VALUE_NULL) {
                throw new InputException(source, p.currentLocation().getLineNr(), "'" + k + "' must be a string");
            }
            o.put(k, p.getValueAsString());
        }
        return o;
    }

    private static String required(Map<String, String> o, String key, JsonParser p, String source) {
        String v = o.get(key);
        if (v == null) {
            throw new InputException(source, p.currentLocation().getLineNr(), "missing '" + key + "'");
        }
        return v;
    }

    private static void expect(JsonParser p, JsonToken got, JsonToken want, String source) {
        if (got != want) {
            throw new InputException(source, p.currentLocation().getLineNr(), "expected " + want + ", found " + got);
        }
    }
}
