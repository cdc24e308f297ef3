package dev.kharden.catalog;

import dev.kharden.kernel.Arch;
import dev.kharden.kernel.KernelVersion;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The compiled form of the catalogue: the validated JSON catalogue written at build time as one
 * compact binary resource ({@code catalog.bin}), so that a one-config audit does not spend its
 * start-up tokenising JSON in a cold JVM. The JSON files stay the source of truth; the build
 * regenerates this file from them every time (see the exec plugin in pom.xml), and a test checks that
 * both forms load to equal catalogues.
 */
public final class CatalogCodec {
    private static final OptionType[] OPTION_TYPES = OptionType.values();
    private static final Check.Severity[] SEVERITIES = Check.Severity.values();
    private static final Arch[] ARCHES = Arch.values();

    /** Written first; a mismatch makes the loader fall back to the JSON files. */
    static final String MAGIC = "kharden-catalog-bin/4";

    private CatalogCodec() {
    }

    /** Build step: validates the JSON catalogue on the class path and writes its compiled form. */
    public static void main(String[] args) throws IOException {
        Catalog catalog = CatalogLoader.loadJson(CatalogLoader.BUILT_IN);
        Path out = Path.of(args[0]);
        Files.createDirectories(out.getParent());
        try (DataOutputStream d = new DataOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(out)))) {
            write(catalog, d);
        }
    }

    static void write(Catalog c, DataOutputStream d) throws IOException {
        d.writeUTF(MAGIC);
        d.writeInt(c.bugClasses().size());
        for (BugClass b : c.bugClasses().values()) {
            d.writeUTF(b.id());
            d.writeUTF(b.name());
            d.writeUTF(b.definition());
            d.writeInt(b.cwe().size());
            for (int n : b.cwe()) {
                d.writeInt(n);
            }
        }
        d.writeInt(c.profiles().size());
        for (Profile p : c.profiles().values()) {
            d.writeUTF(p.id());
            d.writeUTF(p.title());
            d.writeUTF(p.summary());
            d.writeUTF(p.rationale());
        }
        // The checks' profile sets, each distinct one once (sorted, so the file is the same every build);
        // a check then names its set by index.
        List<List<String>> profileSets = profileSets(c);
        d.writeInt(profileSets.size());
        for (List<String> set : profileSets) {
            strings(d, set);
        }
        d.writeInt(c.features().size());
        for (Feature f : c.features()) {
            d.writeUTF(f.id());
            strings(d, f.aliases());
            d.writeUTF(f.title());
            d.writeUTF(f.summary());
            longString(d, f.explanation());
            strings(d, f.bugClasses());
            strings(d, f.origin().lineage());
            opt(d, f.origin().paxGrsec());
            opt(d, f.origin().notes());
            opt(d, f.since());
            arches(d, f.arch());
            opt(d, f.cost());
            opt(d, f.breaks());
            strings(d, f.references());
            d.writeInt(f.profiles().size());
            for (Map.Entry<String, String> e : f.profiles().entrySet()) {
                d.writeUTF(e.getKey());
                longString(d, e.getValue());
            }
            d.writeUTF(f.source());
            d.writeInt(f.checks().size());
            for (Check k : f.checks()) {
                check(d, k, profileSets);
            }
        }
        // What a live audit reads, per option type, worked out here rather than at every start.
        for (OptionType t : OPTION_TYPES) {
            strings(d, List.copyOf(c.optionKeys(t)));
        }
    }

    /** The distinct profile sets of the catalogue's checks, each sorted, in order of first use. */
    private static List<List<String>> profileSets(Catalog c) {
        java.util.LinkedHashSet<List<String>> sets = new java.util.LinkedHashSet<>();
        for (Feature f : c.features()) {
            for (Check k : f.checks()) {
                sets.add(sorted(k.profiles()));
            }
        }
        return List.copyOf(sets);
    }

    private static List<String> sorted(Set<String> profiles) {
        return profiles.stream().sorted().toList();
    }

    private static void check(DataOutputStream d, Check k, List<List<String>> profileSets) throws IOException {
        d.writeUTF(k.id());
        d.writeByte(k.type().ordinal());
        d.writeUTF(k.option());
        predicate(d, k.expect());
        exprs(d, k.anyOf());
        exprs(d, k.allOf());
        exprs(d, k.requires());
        arches(d, k.arch());
        opt(d, k.minVersion() == null ? null : k.minVersion().toString());
        opt(d, k.maxVersion() == null ? null : k.maxVersion().toString());
        d.writeInt(profileSets.indexOf(sorted(k.profiles())));
        d.writeInt(k.profileExpect().size());
        // in profile id order: the map's own order changes from run to run, and so would the file
        for (Map.Entry<String, Predicate> e : new java.util.TreeMap<>(k.profileExpect()).entrySet()) {
            d.writeUTF(e.getKey());
            predicate(d, e.getValue());
        }
        d.writeInt(k.overrides().size());
        for (Check.Override o : k.overrides()) {
            expr(d, o.when());
            d.writeBoolean(o.pass());
            d.writeUTF(o.reason());
        }
        d.writeByte(k.severity().ordinal());
        d.writeBoolean(k.khc() != null);
        if (k.khc() != null) {
            d.writeUTF(k.khc().decision());
            d.writeUTF(k.khc().reason());
            d.writeUTF(k.khc().desired());
        }
        opt(d, k.parity());
    }

    /** Decodes a compiled catalogue (the bytes of catalog.bin). */
    static Catalog read(byte[] bytes) throws IOException {
        return read(new In(bytes));
    }

    private static Catalog read(In d) throws IOException {
        if (!MAGIC.equals(d.readUTF())) {
            throw new IOException("not a " + MAGIC + " file");
        }
        Map<String, BugClass> bugClasses = new LinkedHashMap<>();
        for (int i = d.readInt(); i > 0; i--) {
            String id = d.readUTF();
            String name = d.readUTF();
            String def = d.readUTF();
            List<Integer> cwe = new ArrayList<>();
            for (int j = d.readInt(); j > 0; j--) {
                cwe.add(d.readInt());
            }
            bugClasses.put(id, new BugClass(id, name, def, List.copyOf(cwe)));
        }
        Map<String, Profile> profiles = new LinkedHashMap<>();
        for (int i = d.readInt(); i > 0; i--) {
            Profile p = new Profile(d.readUTF(), d.readUTF(), d.readUTF(), d.readUTF());
            profiles.put(p.id(), p);
        }
        List<Set<String>> profileSets = new ArrayList<>();
        for (int i = d.readInt(); i > 0; i--) {
            profileSets.add(Set.copyOf(strings(d)));
        }
        List<Feature> features = new ArrayList<>();
        for (int i = d.readInt(); i > 0; i--) {
            String id = d.readUTF();
            List<String> aliases = strings(d);
            String title = d.readUTF();
            String summary = d.readUTF();
            String explanation = longString(d);
            List<String> bcs = strings(d);
            Origin origin = new Origin(strings(d), opt(d), opt(d));
            String since = opt(d);
            Set<Arch> arch = arches(d);
            String cost = opt(d);
            String breaks = opt(d);
            List<String> refs = strings(d);
            Map<String, String> why = new LinkedHashMap<>();
            for (int j = d.readInt(); j > 0; j--) {
                why.put(d.readUTF(), longString(d));
            }
            String source = d.readUTF();
            List<Check> checks = new ArrayList<>();
            for (int j = d.readInt(); j > 0; j--) {
                checks.add(check(d, id, profileSets));
            }
            features.add(new Feature(id, aliases, title, summary, explanation, bcs, origin, since, arch, cost, breaks,
                    refs, why, List.copyOf(checks), source));
        }
        Map<OptionType, Set<String>> optionKeys = new java.util.EnumMap<>(OptionType.class);
        for (OptionType t : OPTION_TYPES) {
            optionKeys.put(t, java.util.Collections.unmodifiableSet(new java.util.LinkedHashSet<>(strings(d))));
        }
        return new Catalog(bugClasses, profiles, features, optionKeys);
    }

    private static Check check(In d, String featureId, List<Set<String>> profileSets) throws IOException {
        String id = d.readUTF();
        OptionType type = OPTION_TYPES[d.readByte()];
        String option = d.readUTF();
        Predicate expect = predicate(d);
        List<Expr> anyOf = exprs(d);
        List<Expr> allOf = exprs(d);
        List<Expr> requires = exprs(d);
        Set<Arch> arch = arches(d);
        String min = opt(d);
        String max = opt(d);
        int set = d.readInt();
        if (set < 0 || set >= profileSets.size()) {
            throw new IOException("bad profile set index " + set);
        }
        Set<String> profs = profileSets.get(set);
        Map<String, Predicate> profileExpect = new LinkedHashMap<>();
        for (int i = d.readInt(); i > 0; i--) {
            profileExpect.put(d.readUTF(), predicate(d));
        }
        List<Check.Override> overrides = new ArrayList<>();
        for (int i = d.readInt(); i > 0; i--) {
            overrides.add(new Check.Override(expr(d), d.readBoolean(), d.readUTF()));
        }
        Check.Severity severity = SEVERITIES[d.readByte()];
        Check.Khc khc = d.readBoolean() ? new Check.Khc(d.readUTF(), d.readUTF(), d.readUTF()) : null;
        String parity = opt(d);
        return new Check(id, featureId, type, option, expect, anyOf, allOf, requires, arch,
                min == null ? null : KernelVersion.parse(min).orElseThrow(),
                max == null ? null : KernelVersion.parse(max).orElseThrow(),
                profs, Map.copyOf(profileExpect), List.copyOf(overrides), severity, khc, parity);
    }

    private static void exprs(DataOutputStream d, List<Expr> es) throws IOException {
        d.writeInt(es.size());
        for (Expr e : es) {
            expr(d, e);
        }
    }

    private static List<Expr> exprs(In d) throws IOException {
        int n = d.readInt();
        List<Expr> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(expr(d));
        }
        return List.copyOf(out);
    }

    // Expressions and predicates are stored as trees (a tag byte per node), so loading them needs no
    // parsing; the JSON files hold the same expressions as text.

    private static void expr(DataOutputStream d, Expr e) throws IOException {
        switch (e) {
            case Expr.Any a -> {
                d.writeByte(0);
                exprs(d, a.parts());
            }
            case Expr.All a -> {
                d.writeByte(1);
                exprs(d, a.parts());
            }
            case Expr.Not n -> {
                d.writeByte(2);
                expr(d, n.part());
            }
            case Expr.VersionTest v -> {
                d.writeByte(3);
                d.writeUTF(v.op());
                d.writeUTF(v.version().toString());
            }
            case Expr.OptionTest t -> {
                d.writeByte(4);
                ref(d, t.ref());
                predicate(d, t.predicate());
            }
        }
    }

    private static Expr expr(In d) throws IOException {
        return switch (d.readByte()) {
            case 0 -> new Expr.Any(exprs(d));
            case 1 -> new Expr.All(exprs(d));
            case 2 -> new Expr.Not(expr(d));
            case 3 -> new Expr.VersionTest(d.readUTF(), KernelVersion.parse(d.readUTF()).orElseThrow());
            case 4 -> new Expr.OptionTest(ref(d), predicate(d));
            default -> throw new IOException("bad expression tag");
        };
    }

    private static void predicate(DataOutputStream d, Predicate p) throws IOException {
        switch (p) {
            case Predicate.Equals eq -> {
                d.writeByte(0);
                value(d, eq.value());
            }
            case Predicate.NotEquals ne -> {
                d.writeByte(1);
                value(d, ne.value());
            }
            case Predicate.Compare c -> {
                d.writeByte(2);
                d.writeByte(c.op().ordinal());
                value(d, c.bound());
            }
            case Predicate.NotSet x -> d.writeByte(3);
            case Predicate.Present x -> d.writeByte(4);
            case Predicate.Absent x -> d.writeByte(5);
            case Predicate.NotOff x -> d.writeByte(6);
            case Predicate.Has h -> {
                d.writeByte(7);
                d.writeUTF(h.token());
            }
        }
    }

    private static Predicate predicate(In d) throws IOException {
        return switch (d.readByte()) {
            case 0 -> new Predicate.Equals(value(d));
            case 1 -> new Predicate.NotEquals(value(d));
            case 2 -> new Predicate.Compare(Predicate.Op.values()[d.readByte()], value(d));
            case 3 -> new Predicate.NotSet();
            case 4 -> new Predicate.Present();
            case 5 -> new Predicate.Absent();
            case 6 -> new Predicate.NotOff();
            case 7 -> new Predicate.Has(d.readUTF());
            default -> throw new IOException("bad predicate tag");
        };
    }

    private static void value(DataOutputStream d, Predicate.Value v) throws IOException {
        d.writeBoolean(v.ref() != null);
        if (v.ref() != null) {
            ref(d, v.ref());
        } else {
            d.writeUTF(v.literal());
        }
    }

    private static Predicate.Value value(In d) throws IOException {
        return d.readBoolean() ? new Predicate.Value(null, ref(d)) : Predicate.Value.of(d.readUTF());
    }

    private static void ref(DataOutputStream d, Ref r) throws IOException {
        d.writeByte(r.type().ordinal());
        d.writeUTF(r.name());
    }

    private static Ref ref(In d) throws IOException {
        return new Ref(OPTION_TYPES[d.readByte()], d.readUTF());
    }

    private static void arches(DataOutputStream d, Set<Arch> arch) throws IOException {
        int mask = 0;
        for (Arch a : arch) {
            mask |= 1 << a.ordinal();
        }
        d.writeInt(mask);
    }

    private static Set<Arch> arches(In d) throws IOException {
        return d.arches(d.readInt());
    }

    private static void strings(DataOutputStream d, List<String> l) throws IOException {
        d.writeInt(l.size());
        for (String s : l) {
            d.writeUTF(s);
        }
    }

    private static List<String> strings(In d) throws IOException {
        int n = d.readInt();
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(d.readUTF());
        }
        return List.copyOf(out);
    }

    private static void opt(DataOutputStream d, String s) throws IOException {
        d.writeBoolean(s != null);
        if (s != null) {
            longString(d, s);
        }
    }

    private static String opt(In d) throws IOException {
        return d.readBoolean() ? longString(d) : null;
    }

    /** writeUTF is limited to 64 KiB; prose fields use a length-prefixed UTF-8 form. */
    private static void longString(DataOutputStream d, String s) throws IOException {
        byte[] b = s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        d.writeInt(b.length);
        d.write(b);
    }

    private static String longString(In d) throws IOException {
        return d.utf8(d.readInt());
    }

    /**
     * Reads what DataOutputStream wrote, straight from a byte array: a one-config audit decodes the
     * whole catalogue in a cold JVM, where DataInputStream's char-by-char readUTF is several times
     * slower than the JDK's compiled ASCII and UTF-8 String constructors.
     */
    private static final class In {
        private final byte[] b;
        private int pos;
        /** The few distinct architecture sets, each made once: most checks share them. */
        @SuppressWarnings("unchecked")
        private final Set<Arch>[] archSets = new Set[1 << ARCHES.length];

        Set<Arch> arches(int mask) throws IOException {
            if (mask < 0 || mask >= archSets.length) {
                throw new IOException("bad architecture set " + mask);
            }
            Set<Arch> set = archSets[mask];
            if (set == null) {
                Set<Arch> out = EnumSet.noneOf(Arch.class);
                for (Arch a : ARCHES) {
                    if ((mask & (1 << a.ordinal())) != 0) {
                        out.add(a);
                    }
                }
                set = Set.copyOf(out);
                archSets[mask] = set;
            }
            return set;
        }

        In(byte[] b) {
            this.b = b;
        }

        private void need(int n) throws IOException {
            if (n < 0 || pos + n > b.length) {
                throw new java.io.EOFException("catalog.bin ends early");
            }
        }

        byte readByte() throws IOException {
            need(1);
            return b[pos++];
        }

        boolean readBoolean() throws IOException {
            return readByte() != 0;
        }

        int readInt() throws IOException {
            need(4);
            int v = (b[pos] & 0xff) << 24 | (b[pos + 1] & 0xff) << 16 | (b[pos + 2] & 0xff) << 8 | b[pos + 3] & 0xff;
            pos += 4;
            return v;
        }

        /** writeUTF's form: a 16-bit length, then modified UTF-8 (plain ASCII for nearly every string). */
        String readUTF() throws IOException {
            need(2);
            int len = (b[pos] & 0xff) << 8 | b[pos + 1] & 0xff;
            need(2 + len);
            for (int i = pos + 2; i < pos + 2 + len; i++) {
                if (b[i] < 0) { // non-ASCII: modified UTF-8 differs from UTF-8 there, so decode it the JDK's way
                    String s = new DataInputStream(new java.io.ByteArrayInputStream(b, pos, 2 + len)).readUTF();
                    pos += 2 + len;
                    return s;
                }
            }
            String s = new String(b, pos + 2, len, java.nio.charset.StandardCharsets.ISO_8859_1);
            pos += 2 + len;
            return s;
        }

        String utf8(int len) throws IOException {
            need(len);
            String s = new String(b, pos, len, java.nio.charset.StandardCharsets.UTF_8);
            pos += len;
            return s;
        }
    }
}
