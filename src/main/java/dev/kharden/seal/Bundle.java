package dev.kharden.seal;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An opened, fully verified bundle held in memory: what the support side (the symbolizer) reads.
 * Entry names are the bundle's ({@link #KALLSYMS}, {@link #MODULES}, {@link #SECTIONS}, ...).
 */
public final class Bundle {
    public static final String KALLSYMS = KallsymsCollector.ENTRY;
    public static final String MODULES = ModulesCollector.MODULES;
    /** Module section addresses, one "module section 0xaddress" line each. */
    public static final String SECTIONS = ModulesCollector.SECTIONS;
    public static final String VERSION = KernelCollector.VERSION;
    public static final String OOPS = KernelLogCollector.ENTRY;

    private final BundleReader.Verified verified;
    private final Map<String, byte[]> entries;

    Bundle(BundleReader.Verified verified, Map<String, byte[]> entries) {
        this.verified = verified;
        this.entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
    }

    /** The manifest; empty for a plain tar sealed by another tool. */
    public Optional<Manifest> manifest() {
        return Optional.ofNullable(verified.manifest());
    }

    public BundleReader.Verified verified() {
        return verified;
    }

    /** The bytes of an entry, if the bundle has it. */
    public Optional<byte[]> entry(String name) {
        byte[] b = entries.get(name);
        return b == null ? Optional.empty() : Optional.of(b.clone());
    }

    public List<String> names() {
        return List.copyOf(entries.keySet());
    }
}
