package dev.kharden.seal;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * Finds the collectors other kharden packages contribute (the audit report first of all) through
 * {@link ServiceLoader}: a package registers a {@link Collector} in
 * META-INF/services/dev.kharden.seal.Collector, and seal needs no code change to carry it.
 */
final class AuditHook {
    static final String AUDIT_ID = "audit";

    private AuditHook() {
    }

    static List<Collector> plugged() {
        List<Collector> out = new ArrayList<>();
        ServiceLoader.load(Collector.class, AuditHook.class.getClassLoader()).forEach(out::add);
        return out;
    }
}
