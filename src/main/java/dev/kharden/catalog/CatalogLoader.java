package dev.kharden.catalog;

import dev.kharden.files.Embedded;
import dev.kharden.input.InputException;
import dev.kharden.kernel.Arch;
import dev.kharden.kernel.KernelVersion;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Loads the catalogue (docs/catalog-format.md) from kharden's resources, plus optional user rule
 * files, into immutable records, and validates it: unknown or missing keys, duplicate ids, dangling
 * bug classes and profiles, features without a bug class, expressions that do not parse. Every
 * problem names its file and line; {@link #load} throws an {@link InputException} for the first.
 */
public final class CatalogLoader {
    /** Where the built-in catalogue lives on the class path. */
    public static final String BUILT_IN = "/dev/kharden/catalog/";
    /** The class the build embeds the built-in catalogue's compiled form in (its catalog.bin). */
    static final String EMBEDDED_CLASS = "dev.kharden.catalog.CatalogData";
    private static final Set<String> FEATURE_KEYS = Set.of("id", "aliases", "title", "summary", "explanation",
            "bugClasses", "origin", "since", "arch", "cost", "breaks", "references", "profiles", "checks");
    private static final Set<String> CHECK_KEYS = Set.of("id", "type", "option", "expect", "anyOf", "allOf",
            "requires", "arch", "minVersion", "maxVersion", "profiles", "profileExpect", "overrides", "severity",
            "khc", "parity");
    private static final Set<String> ORIGIN_KEYS = Set.of("lineage", "paxGrsec", "notes");
    private static final Set<String> OVERRIDE_KEYS = Set.of("when", "verdict", "reason");
    private static final Set<String> KHC_KEYS = Set.of("decision", "reason", "desired");
    private static final Set<String> BUG_CLASS_KEYS = Set.of("id", "name", "definition", "cwe");
    private static final Set<String> PROFILE_KEYS = Set.of("id", "title", "summary", "rationale");
    private static final Set<String> CHECK_OVERRIDE_KEYS = Set.of("check", "expect", "profileExpect", "profiles",
            "severity", "reason");

    private final List<InputException> problems = new ArrayList<>();
    private final Map<String, BugClass> bugClasses = new LinkedHashMap<>();
    private final Map<String, Profile> profiles = new LinkedHashMap<>();
    private final List<Feature> features = new ArrayList<>();
    private final Set<String> featureIds = new HashSet<>();
    private final Set<String> checkIds = new HashSet<>();
    private final List<Map.Entry<String, JsonTree.Obj>> checkOverrides = new ArrayList<>();
    private final String base;
    private String source;

    private CatalogLoader(String base) {
        this.base = base;
    }

    /** The built-in catalogue. Throws InputException if it is invalid (a test guards against that). */
    public static Catalog load() {
        return load(List.of());
    }

    /** The built-in catalogue plus user rule files (same format; may add features and checks). */
    public static Catalog load(List<Path> ruleFiles) {
        java.util.concurrent.FutureTask<Catalog> early = preloaded;
        if (ruleFiles.isEmpty() && early != null) {
            try {
                early.run(); // decodes it here if the background thread has not started yet; else nothing
                return early.get();
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof RuntimeException re) {
                    throw re;
                }
                throw new IllegalStateException(e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while loading the catalogue", e);
            }
        }
        return load(BUILT_IN, ruleFiles);
    }

    private static volatile java.util.concurrent.FutureTask<Catalog> preloaded;

    /**
     * Registers the decoding of the built-in catalogue as a task for the caller to run on a
     * background thread, so that it overlaps the rest of start-up (command-line parsing, reading
     * inputs); {@link #load(List)} without rule files then returns that catalogue, waiting for the
     * task if it is running, or running it itself if it has not started. The catalogue is immutable, so one instance serves
     * the whole process; once registered, later calls return a task that does nothing.
     */
    public static synchronized Runnable preloadTask() {
        if (preloaded != null) {
            return () -> {
            };
        }
        java.util.concurrent.FutureTask<Catalog> task = new java.util.concurrent.FutureTask<>(() -> load(BUILT_IN, List.of()));
        preloaded = task;
        return task;
    }

    /**
     * A catalogue from a class-path folder laid out like the built-in one. Without rule files, the
     * compiled form ({@code catalog.bin}, written by the build from the same JSON) is used when present.
     */
    public static Catalog load(String resourceBase, List<Path> ruleFiles) {
        if (ruleFiles.isEmpty()) {
            // the built-in one is embedded in a class (see dev.kharden.files.Embedded): the jar stays closed
            byte[] embedded = resourceBase.equals(BUILT_IN) ? Embedded.bytes(EMBEDDED_CLASS) : null;
            try (InputStream in = embedded != null ? null : CatalogLoader.class.getResourceAsStream(resourceBase + "catalog.bin")) {
                if (embedded != null) {
                    return CatalogCodec.read(embedded);
                }
                if (in != null) {
                    return CatalogCodec.read(in.readAllBytes());
                }
            } catch (IOException | RuntimeException e) {
                // a stale or damaged compiled form: the JSON below is the source of truth
            }
        }
        return loadJson(resourceBase, ruleFiles);
    }

    /** The catalogue read from its JSON files (never the compiled form). */
    public static Catalog loadJson(String resourceBase) {
        return loadJson(resourceBase, List.of());
    }

    private static Catalog loadJson(String resourceBase, List<Path> ruleFiles) {
        CatalogLoader l = new CatalogLoader(resourceBase);
        l.readBuiltIn();
        for (Path p : ruleFiles) {
            l.readFile(p);
        }
        l.applyCheckOverrides();
        if (!l.problems.isEmpty()) {
            InputException first = l.problems.get(0);
            if (l.problems.size() == 1) {
                throw first;
            }
            StringBuilder more = new StringBuilder();
            for (InputException p : l.problems.subList(1, Math.min(l.problems.size(), 4))) {
                more.append("; ").append(p.getMessage());
            }
            int rest = l.problems.size() - 4;
            throw new InputException(first.source(), first.line(), first.reason() + more
                    + (rest > 0 ? "; and " + rest + " more" : ""));
        }
        return new Catalog(l.bugClasses, l.profiles, l.features);
    }

    /** Every problem in the built-in catalogue (empty when valid); for the validation test. */
    public static List<InputException> validateBuiltIn() {
        return validate(BUILT_IN);
    }

    /** Every problem in the catalogue under {@code resourceBase}. */
    public static List<InputException> validate(String resourceBase) {
        CatalogLoader l = new CatalogLoader(resourceBase);
        l.readBuiltIn();
        return List.copyOf(l.problems);
    }

    private void readBuiltIn() {
        readResource("bug-classes.json");
        readResource("profiles.json");
        String index = new String(resource("index.txt"), StandardCharsets.UTF_8);
        for (String line : index.lines().toList()) {
            String name = line.strip();
            if (!name.isEmpty() && !name.startsWith("#")) {
                readResource(name);
            }
        }
    }

    private byte[] resource(String name) {
        try (InputStream in = CatalogLoader.class.getResourceAsStream(base + name)) {
            if (in == null) {
                throw InputException.ofFile("catalog/" + name, "missing from kharden's resources");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw InputException.ofFile("catalog/" + name, "cannot read: " + e.getMessage());
        }
    }

    private void readResource(String name) {
        try {
            read(new java.io.ByteArrayInputStream(resource(name)), "catalog/" + name);
        } catch (InputException e) {
            problems.add(e);
        }
    }

    private void readFile(Path path) {
        try (InputStream in = Files.newInputStream(path)) {
            read(in, path.toString());
        } catch (NoSuchFileException e) {
            problems.add(InputException.ofFile(path.toString(), "no such file"));
        } catch (IOException e) {
            problems.add(InputException.ofFile(path.toString(), "cannot read: " + e.getMessage()));
        } catch (InputException e) {
            problems.add(e);
        }
    }

    private void read(InputStream in, String src) {
        this.source = src;
        Object root = JsonTree.read(in, src);
        if (!(root instanceof JsonTree.Obj obj)) {
            throw InputException.ofFile(src, "expected a JSON object at the top");
        }
        Object schema = obj.map().get("schema");
        if (!Catalog.SCHEMA.equals(schema)) {
            problem(obj.line(), "\"schema\" must be \"" + Catalog.SCHEMA + "\", found " + schema);
            return;
        }
        for (Map.Entry<String, Object> e : obj.map().entrySet()) {
            switch (e.getKey()) {
                case "schema" -> { }
                case "bugClasses" -> list(e.getValue(), obj.line(), "bugClasses").forEach(this::bugClass);
                case "profiles" -> list(e.getValue(), obj.line(), "profiles").forEach(this::profile);
                case "features" -> list(e.getValue(), obj.line(), "features").forEach(this::feature);
                case "checkOverrides" -> list(e.getValue(), obj.line(), "checkOverrides")
                        .forEach(o -> checkOverrides.add(Map.entry(src, o)));
                default -> problem(obj.line(), "unknown top-level key '" + e.getKey() + "'");
            }
        }
    }

    private void bugClass(JsonTree.Obj o) {
        keys(o, BUG_CLASS_KEYS, "bug class");
        String id = str(o, "id", true);
        List<Integer> cwe = new ArrayList<>();
        for (Object n : rawList(o, "cwe")) {
            if (n instanceof Long l) {
                cwe.add(l.intValue());
            } else {
                problem(o.line(), "cwe entries must be numbers");
            }
        }
        if (id != null && bugClasses.put(id, new BugClass(id, str(o, "name", true), str(o, "definition", true),
                List.copyOf(cwe))) != null) {
            problem(o.line(), "duplicate bug class id '" + id + "'");
        }
    }

    private void profile(JsonTree.Obj o) {
        keys(o, PROFILE_KEYS, "profile");
        String id = str(o, "id", true);
        if (id != null && profiles.put(id, new Profile(id, str(o, "title", true), str(o, "summary", true),
                str(o, "rationale", true))) != null) {
            problem(o.line(), "duplicate profile id '" + id + "'");
        }
    }

    private void feature(JsonTree.Obj o) {
        keys(o, FEATURE_KEYS, "feature");
        String id = str(o, "id", true);
        if (id == null) {
            return;
        }
        if (!id.matches("[a-z0-9]+(-[a-z0-9]+)*")) {
            problem(o.line(), "feature id '" + id + "' must be kebab-case");
        }
        List<String> aliases = strings(o, "aliases");
        for (String name : concat(id, aliases)) {
            if (!featureIds.add(name)) {
                problem(o.line(), "duplicate feature id or alias '" + name + "'");
            }
        }
        List<String> bcs = strings(o, "bugClasses");
        if (bcs.isEmpty()) {
            problem(o.line(), "feature '" + id + "' has no bug class");
        }
        for (String bc : bcs) {
            if (!bugClasses.containsKey(bc)) {
                problem(o.line(), "feature '" + id + "' names unknown bug class '" + bc + "'");
            }
        }
        Origin origin = null;
        if (o.map().get("origin") instanceof JsonTree.Obj oo) {
            keys(oo, ORIGIN_KEYS, "origin");
            List<String> lineage = strings(oo, "lineage");
            if (lineage.isEmpty()) {
                problem(oo.line(), "origin of '" + id + "' needs a non-empty lineage");
            }
            origin = new Origin(lineage, str(oo, "paxGrsec", false), str(oo, "notes", false));
        } else {
            problem(o.line(), "feature '" + id + "' needs an origin object");
        }
        Map<String, String> profileWhy = new LinkedHashMap<>();
        if (o.map().get("profiles") instanceof JsonTree.Obj po) {
            for (Map.Entry<String, Object> e : po.map().entrySet()) {
                knownProfile(e.getKey(), po.line());
                if (e.getValue() instanceof String s) {
                    profileWhy.put(e.getKey(), s);
                } else {
                    problem(po.line(), "profile reasons must be strings");
                }
            }
        } else if (o.map().containsKey("profiles")) {
            problem(o.line(), "'profiles' of a feature must be an object: profile id -> why");
        }
        String since = str(o, "since", false);
        if (since != null && KernelVersion.parse(since).isEmpty()) {
            problem(o.line(), "'since' of '" + id + "' is not a kernel version: " + since);
        }
        List<Check> checks = new ArrayList<>();
        for (JsonTree.Obj c : list(o.map().get("checks"), o.line(), "checks")) {
            Check check = check(c, id);
            if (check != null) {
                checks.add(check);
            }
        }
        features.add(new Feature(id, aliases, str(o, "title", true), str(o, "summary", true),
                str(o, "explanation", true), bcs, origin, since, arches(o), str(o, "cost", false),
                str(o, "breaks", false), strings(o, "references"), profileWhy, List.copyOf(checks), source));
    }

    private Check check(JsonTree.Obj o, String featureId) {
        keys(o, CHECK_KEYS, "check");
        String id = str(o, "id", true);
        String typeName = str(o, "type", true);
        String option = str(o, "option", true);
        String expectText = str(o, "expect", true);
        if (id == null || typeName == null || option == null || expectText == null) {
            return null;
        }
        if (!checkIds.add(id)) {
            problem(o.line(), "duplicate check id '" + id + "'");
        }
        OptionType type;
        try {
            type = OptionType.parse(typeName);
        } catch (IllegalArgumentException e) {
            problem(o.line(), e.getMessage());
            return null;
        }
        if (type == OptionType.KCONFIG && !option.startsWith("CONFIG_")) {
            problem(o.line(), "kconfig option '" + option + "' must be spelled CONFIG_NAME");
        }
        Predicate expect = predicate(expectText, o.line());
        Set<String> profs = new LinkedHashSet<>(strings(o, "profiles"));
        if (profs.isEmpty()) {
            problem(o.line(), "check '" + id + "' is in no profile");
        }
        profs.forEach(p -> knownProfile(p, o.line()));
        Map<String, Predicate> profileExpect = new LinkedHashMap<>();
        if (o.map().get("profileExpect") instanceof JsonTree.Obj pe) {
            for (Map.Entry<String, Object> e : pe.map().entrySet()) {
                knownProfile(e.getKey(), pe.line());
                if (e.getValue() instanceof String s) {
                    profileExpect.put(e.getKey(), predicate(s, pe.line()));
                } else {
                    problem(pe.line(), "profileExpect values must be strings");
                }
            }
        }
        List<Check.Override> overrides = new ArrayList<>();
        for (JsonTree.Obj ov : list(o.map().get("overrides"), o.line(), "overrides")) {
            keys(ov, OVERRIDE_KEYS, "override");
            String verdict = str(ov, "verdict", true);
            if (verdict != null && !verdict.equals("pass") && !verdict.equals("fail")) {
                problem(ov.line(), "override verdict must be 'pass' or 'fail'");
            }
            Expr when = expr(str(ov, "when", true), ov.line());
            overrides.add(new Check.Override(when, "pass".equals(verdict), str(ov, "reason", true)));
        }
        Check.Severity severity = severity(o, Check.Severity.MEDIUM);
        Check.Khc khc = null;
        if (o.map().get("khc") instanceof JsonTree.Obj k) {
            keys(k, KHC_KEYS, "khc");
            khc = new Check.Khc(str(k, "decision", true), str(k, "reason", true), str(k, "desired", true));
        }
        return new Check(id, featureId, type, option, expect, exprs(o, "anyOf"), exprs(o, "allOf"),
                exprs(o, "requires"), arches(o), version(o, "minVersion"), version(o, "maxVersion"),
                Set.copyOf(profs), Map.copyOf(profileExpect), List.copyOf(overrides), severity, khc,
                str(o, "parity", false));
    }

    /**
     * Applies the {@code checkOverrides} of rule files, in the order read: each replaces the
     * expectation, per-profile expectations, profiles or severity of an existing check, found by id.
     * The check keeps its id, so reports, waivers and diffs still recognise it.
     */
    private void applyCheckOverrides() {
        for (Map.Entry<String, JsonTree.Obj> e : checkOverrides) {
            source = e.getKey();
            JsonTree.Obj o = e.getValue();
            keys(o, CHECK_OVERRIDE_KEYS, "check override");
            String id = str(o, "check", true);
            str(o, "reason", true);
            if (id == null) {
                continue;
            }
            int fi = -1;
            int ci = -1;
            for (int i = 0; i < features.size() && fi < 0; i++) {
                List<Check> cs = features.get(i).checks();
                for (int j = 0; j < cs.size(); j++) {
                    if (cs.get(j).id().equals(id)) {
                        fi = i;
                        ci = j;
                    }
                }
            }
            if (fi < 0) {
                problem(o.line(), "check override names unknown check id '" + id + "'");
                continue;
            }
            Feature f = features.get(fi);
            Check c = f.checks().get(ci);
            Predicate expect = o.map().containsKey("expect") ? predicate(str(o, "expect", true), o.line()) : c.expect();
            Set<String> profs = c.profiles();
            if (o.map().containsKey("profiles")) {
                profs = Set.copyOf(strings(o, "profiles"));
                profs.forEach(p -> knownProfile(p, o.line()));
            }
            Map<String, Predicate> profileExpect = c.profileExpect();
            if (o.map().get("profileExpect") instanceof JsonTree.Obj pe) {
                Map<String, Predicate> merged = new LinkedHashMap<>(profileExpect);
                for (Map.Entry<String, Object> pv : pe.map().entrySet()) {
                    knownProfile(pv.getKey(), pe.line());
                    if (pv.getValue() instanceof String text) {
                        merged.put(pv.getKey(), predicate(text, pe.line()));
                    } else {
                        problem(pe.line(), "profileExpect values must be strings");
                    }
                }
                profileExpect = Map.copyOf(merged);
            } else if (o.map().containsKey("expect")) {
                profileExpect = Map.of(); // a new expectation replaces the per-profile ones it was tuned with
            }
            Check.Severity severity = severity(o, c.severity());
            if (expect == null) {
                continue;
            }
            List<Check> checks = new ArrayList<>(f.checks());
            checks.set(ci, new Check(c.id(), c.featureId(), c.type(), c.option(), expect, c.anyOf(), c.allOf(),
                    c.requires(), c.arch(), c.minVersion(), c.maxVersion(), profs, profileExpect, c.overrides(), severity,
                    c.khc(), c.parity()));
            features.set(fi, new Feature(f.id(), f.aliases(), f.title(), f.summary(), f.explanation(), f.bugClasses(),
                    f.origin(), f.since(), f.arch(), f.cost(), f.breaks(), f.references(), f.profiles(),
                    List.copyOf(checks), f.source()));
        }
    }

    /** The object's "severity", or {@code absent} when it has none. */
    private Check.Severity severity(JsonTree.Obj o, Check.Severity absent) {
        String sev = str(o, "severity", false);
        if (sev != null) {
            try {
                return Check.Severity.valueOf(sev.toUpperCase(java.util.Locale.ROOT));
            } catch (IllegalArgumentException e) {
                problem(o.line(), "severity must be high, medium or low");
            }
        }
        return absent;
    }

    private List<Expr> exprs(JsonTree.Obj o, String key) {
        List<Expr> out = new ArrayList<>();
        for (String s : strings(o, key)) {
            Expr e = expr(s, o.line());
            if (e != null) {
                out.add(e);
            }
        }
        return List.copyOf(out);
    }

    private Expr expr(String text, int line) {
        if (text == null) {
            return null;
        }
        try {
            return ExprParser.expr(text);
        } catch (IllegalArgumentException e) {
            problem(line, e.getMessage());
            return null;
        }
    }

    private Predicate predicate(String text, int line) {
        if (text == null) {
            return null;
        }
        try {
            return ExprParser.predicate(text);
        } catch (IllegalArgumentException e) {
            problem(line, e.getMessage());
            return null;
        }
    }

    private KernelVersion version(JsonTree.Obj o, String key) {
        String v = str(o, key, false);
        if (v == null) {
            return null;
        }
        return KernelVersion.parse(v).orElseGet(() -> {
            problem(o.line(), "'" + key + "' is not a kernel version: " + v);
            return null;
        });
    }

    private Set<Arch> arches(JsonTree.Obj o) {
        Set<Arch> out = EnumSet.noneOf(Arch.class);
        for (String a : strings(o, "arch")) {
            Arch.parse(a).ifPresentOrElse(out::add,
                    () -> problem(o.line(), "unknown architecture '" + a + "' (known: " + Arch.names() + ")"));
        }
        return Set.copyOf(out);
    }

    private void knownProfile(String p, int line) {
        if (!profiles.containsKey(p)) {
            problem(line, "unknown profile '" + p + "'");
        }
    }

    private void keys(JsonTree.Obj o, Set<String> allowed, String what) {
        for (String k : o.map().keySet()) {
            if (!allowed.contains(k)) {
                problem(o.line(), "unknown key '" + k + "' in " + what);
            }
        }
    }

    private String str(JsonTree.Obj o, String key, boolean required) {
        Object v = o.map().get(key);
        if (v instanceof String s) {
            if (required && s.isBlank()) {
                problem(o.line(), "'" + key + "' must not be empty");
            }
            return s;
        }
        if (v == null && !required) {
            return null;
        }
        problem(o.line(), v == null ? "missing required key '" + key + "'" : "'" + key + "' must be a string");
        return null;
    }

    private List<String> strings(JsonTree.Obj o, String key) {
        List<String> out = new ArrayList<>();
        for (Object v : rawList(o, key)) {
            if (v instanceof String s) {
                out.add(s);
            } else {
                problem(o.line(), "'" + key + "' must be a list of strings");
            }
        }
        return List.copyOf(out);
    }

    private List<Object> rawList(JsonTree.Obj o, String key) {
        Object v = o.map().get(key);
        if (v == null) {
            return List.of();
        }
        if (v instanceof List<?> l) {
            return new ArrayList<>(l);
        }
        problem(o.line(), "'" + key + "' must be a list");
        return List.of();
    }

    private List<JsonTree.Obj> list(Object v, int line, String what) {
        List<JsonTree.Obj> out = new ArrayList<>();
        if (v == null) {
            return out;
        }
        if (!(v instanceof List<?> l)) {
            problem(line, "'" + what + "' must be a list of objects");
            return out;
        }
        for (Object e : l) {
            if (e instanceof JsonTree.Obj ob) {
                out.add(ob);
            } else {
                problem(line, "'" + what + "' must contain only objects");
            }
        }
        return out;
    }

    private static List<String> concat(String first, List<String> rest) {
        List<String> all = new ArrayList<>();
        all.add(first);
        all.addAll(rest);
        return all;
    }

    private void problem(int line, String message) {
        problems.add(new InputException(source, line, message));
    }
}
