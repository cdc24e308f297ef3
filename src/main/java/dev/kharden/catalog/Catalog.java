package dev.kharden.catalog;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The loaded, validated hardening catalogue: bug classes, profiles and features with their checks.
 * Lookups by feature id (or alias), check id, and option name.
 */
public final class Catalog {
    public static final String SCHEMA = "kharden-catalog/1";

    private final Map<String, BugClass> bugClasses;
    private final Map<String, Profile> profiles;
    private final List<Feature> features;
    private final Map<String, Feature> featureIndex = new LinkedHashMap<>();
    private final Map<String, Check> checkIndex = new LinkedHashMap<>();

    /** Per option type, the keys the catalogue refers to; filled by the compiled catalogue, else on first need. */
    private final Map<OptionType, Set<String>> optionKeys = new java.util.concurrent.ConcurrentHashMap<>();

    Catalog(Map<String, BugClass> bugClasses, Map<String, Profile> profiles, List<Feature> features) {
        this(bugClasses, profiles, features, Map.of());
    }

    /** With {@code optionKeys} as {@link #optionKeys} gives them, worked out when the catalogue was compiled. */
    Catalog(Map<String, BugClass> bugClasses, Map<String, Profile> profiles, List<Feature> features,
            Map<OptionType, Set<String>> optionKeys) {
        this.optionKeys.putAll(optionKeys);
        this.bugClasses = Collections.unmodifiableMap(bugClasses);
        this.profiles = Collections.unmodifiableMap(profiles);
        this.features = List.copyOf(features);
        for (Feature f : features) {
            featureIndex.put(f.id(), f);
            for (String alias : f.aliases()) {
                featureIndex.putIfAbsent(alias, f);
            }
            for (Check c : f.checks()) {
                checkIndex.put(c.id(), c);
            }
        }
    }

    public Map<String, BugClass> bugClasses() {
        return bugClasses;
    }

    public Map<String, Profile> profiles() {
        return profiles;
    }

    public List<Feature> features() {
        return features;
    }

    public Optional<Feature> feature(String id) {
        return Optional.ofNullable(featureIndex.get(id));
    }

    public Optional<Check> check(String id) {
        return Optional.ofNullable(checkIndex.get(id));
    }

    public int checkCount() {
        return checkIndex.size();
    }

    /**
     * Every key of {@code type} the catalogue refers to, in checks and in their conditions, sorted:
     * what a live audit reads (each sysctl, each runtime value), and no more.
     */
    public Set<String> optionKeys(OptionType type) {
        return optionKeys.computeIfAbsent(type, this::findOptionKeys);
    }

    private Set<String> findOptionKeys(OptionType type) {
        Set<String> keys = new java.util.TreeSet<>();
        for (Feature f : features) {
            for (Check c : f.checks()) {
                if (c.type() == type) {
                    keys.add(c.option());
                }
                for (List<Expr> exprs : List.of(c.anyOf(), c.allOf(), c.requires())) {
                    for (Expr e : exprs) {
                        collectKeys(e, type, keys);
                    }
                }
            }
        }
        return Collections.unmodifiableSet(new java.util.LinkedHashSet<>(keys));
    }

    private static void collectKeys(Expr e, OptionType type, Set<String> keys) {
        switch (e) {
            case Expr.OptionTest t -> {
                if (t.ref().type() == type) {
                    keys.add(t.ref().name());
                }
                if (t.predicate() instanceof Predicate.Compare c && c.bound().ref() != null
                        && c.bound().ref().type() == type) {
                    keys.add(c.bound().ref().name());
                }
            }
            case Expr.Any a -> a.parts().forEach(p -> collectKeys(p, type, keys));
            case Expr.All a -> a.parts().forEach(p -> collectKeys(p, type, keys));
            case Expr.Not n -> collectKeys(n.part(), type, keys);
            case Expr.VersionTest v -> { }
        }
    }

    /**
     * Finds features by what a person types: a feature id or alias, a check id, an option name
     * (CONFIG_X or X, a boot parameter, a sysctl key), case-insensitively for option names.
     */
    public List<Feature> lookup(String query) {
        String q = query.trim();
        Feature direct = featureIndex.get(q);
        if (direct != null) {
            return List.of(direct);
        }
        Check byId = checkIndex.get(q);
        if (byId != null) {
            return List.of(featureIndex.get(byId.featureId()));
        }
        String upper = q.toUpperCase(Locale.ROOT);
        String asConfig = upper.startsWith("CONFIG_") ? upper : "CONFIG_" + upper;
        List<Feature> found = new ArrayList<>();
        for (Feature f : features) {
            for (Check c : f.checks()) {
                if (c.option().equals(q) || c.option().equalsIgnoreCase(q) || c.option().equals(asConfig)) {
                    found.add(f);
                    break;
                }
            }
        }
        return found;
    }
}
