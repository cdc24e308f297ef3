package dev.kharden.catalog;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

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

    Catalog(Map<String, BugClass> bugClasses, Map<String, Profile> profiles, List<Feature> features) {
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
