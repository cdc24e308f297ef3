package dev.kharden.fix;

import dev.kharden.audit.Evaluator;
import dev.kharden.audit.Inputs;
import dev.kharden.audit.Verdict;
import dev.kharden.catalog.Catalog;
import dev.kharden.catalog.Check;
import dev.kharden.catalog.Expr;
import dev.kharden.catalog.Feature;
import dev.kharden.catalog.OptionType;
import dev.kharden.catalog.Predicate;
import dev.kharden.catalog.Ref;
import dev.kharden.cmdline.Cmdline;
import dev.kharden.cmdline.CmdlineParser;
import dev.kharden.input.TextSource;
import dev.kharden.kconfig.KernelConfig;
import dev.kharden.sysctl.Sysctls;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * Works out the settings that close the gap between a kernel's config (plus its boot parameters and
 * sysctls when given) and a profile, from the catalogue's expectations, the way a person would:
 * config first, then boot parameters and sysctls judged against the fixed config (a config default
 * can make a boot parameter unnecessary). Each phase re-audits after every round, up to
 * {@value #ROUNDS} rounds, because turning a parent feature on can make its children apply and one
 * setting can satisfy another check's alternative. Without a command line the boot parameters are
 * taken to be empty; without sysctl values every sysctl check is planned. Runtime state is not the
 * config's to fix and is left out. What still fails at the end is reported with the reason.
 */
public final class FixPlanner {
    static final int ROUNDS = 4;
    /** Marks a boot parameter to remove in the planned command line. */
    private static final String REMOVE = "\u0000remove";

    private final Catalog catalog;
    private final Inputs given;
    private final String profile;
    private final Map<String, String> kconfig = new LinkedHashMap<>();
    private final Map<String, String> boot = new LinkedHashMap<>();
    private final Map<String, String> sysctl = new LinkedHashMap<>();
    private final Map<String, String> underivable = new LinkedHashMap<>();

    private FixPlanner(Catalog catalog, Inputs given, String profile) {
        this.catalog = catalog;
        this.given = given;
        this.profile = profile;
    }

    public static FixPlan plan(Catalog catalog, Inputs given, String profile) {
        return new FixPlanner(catalog, given, profile).run();
    }

    private FixPlan run() {
        phase(Set.of(OptionType.KCONFIG));
        phase(Set.of(OptionType.CMDLINE, OptionType.SYSCTL));
        Inputs fixed = planned();
        Evaluator ev = new Evaluator(fixed);
        List<FixPlan.Unresolved> unresolved = new ArrayList<>();
        for (Check c : failing(fixed, Set.of(OptionType.KCONFIG, OptionType.CMDLINE, OptionType.SYSCTL))) {
            String missing = missingOption(c, fixed);
            unresolved.add(new FixPlan.Unresolved(c.id(), c.option(), underivable.getOrDefault(c.id(), missing != null
                    ? missing + " does not exist in this kernel: the defence needs a kernel version that has it, "
                            + "not a config change"
                    : "still fails with the plan applied: " + ev.check(c, profile).reason())));
        }
        KernelConfig original = given.config();
        List<String> absent = kconfig.keySet().stream().filter(o -> original.get(o) == null).toList();
        List<String> add = new ArrayList<>();
        List<String> remove = new ArrayList<>();
        boot.forEach((k, v) -> {
            if (REMOVE.equals(v)) {
                remove.add(k);
            } else {
                add.add(v.isEmpty() ? k : k + "=" + v);
            }
        });
        return new FixPlan(profile, new LinkedHashMap<>(kconfig),
                new LinkedHashMap<>(sysctl), add, remove, unresolved, absent);
    }

    /** The kconfig option a failing check requires to be present and the config lacks, or null. */
    private static String missingOption(Check c, Inputs in) {
        for (Expr cond : c.allOf()) {
            if (cond instanceof Expr.OptionTest t && t.ref().type() == OptionType.KCONFIG
                    && t.predicate() instanceof Predicate.Present && in.value(t.ref()) == null) {
                return t.ref().name();
            }
        }
        return null;
    }

    /** Plans settings of the given types until a round changes nothing. */
    private void phase(Set<OptionType> types) {
        for (int round = 0; round < ROUNDS; round++) {
            Inputs in = planned();
            boolean changed = false;
            for (Check c : failing(in, types)) {
                for (Target t : targets(c)) {
                    Map<String, String> plan = switch (t.type()) {
                        case KCONFIG -> kconfig;
                        case CMDLINE -> boot;
                        case SYSCTL -> sysctl;
                        case RUNTIME -> throw new IllegalStateException("runtime is not planned");
                    };
                    String current = in.value(new Ref(t.type(), t.option()));
                    String v = value(t, current, in::value);
                    if (v == null && t.type() == c.type() && t.option().equals(c.option())) {
                        // a profile that only rules a value out (server: fs.suid_dumpable != 1) is met by
                        // the check's own, stricter expectation (= 0)
                        v = value(new Target(t.type(), t.option(), c.expect()), current, in::value);
                    }
                    if (v == null) {
                        underivable.put(c.id(), "kharden cannot derive a value of " + t.option() + " that satisfies '"
                                + t.predicate() + "'");
                    } else if (v.equals(current) || (current == null && (REMOVE.equals(v) || KernelConfig.NOT_SET.equals(v)))) {
                        continue; // a condition that already holds needs nothing
                    } else if (!v.equals(plan.get(t.option()))) {
                        plan.put(t.option(), v);
                        changed = true;
                    }
                }
            }
            if (!changed) {
                return;
            }
        }
    }

    /** The inputs with everything planned so far applied (merge_config semantics for the config). */
    private Inputs planned() {
        KernelConfig kc = ConfigMerge.apply(given.config(), kconfig);
        Map<String, String> cl = new LinkedHashMap<>(given.cmdline() == null ? Map.of() : given.cmdline().values());
        boot.forEach((k, v) -> {
            if (REMOVE.equals(v)) {
                cl.remove(k);
            } else {
                cl.put(k, v);
            }
        });
        StringBuilder line = new StringBuilder();
        cl.forEach((k, v) -> line.append(v.isEmpty() ? k : k + "=" + v).append(' '));
        // parsed again so that planned values get the kernel's own normalisation (on -> 1, ...)
        Cmdline cmdline = line.isEmpty() ? new Cmdline("(planned)", Map.of(), List.of())
                : CmdlineParser.parse(TextSource.fromBytes("(planned)", line.toString().strip().getBytes(StandardCharsets.UTF_8)));
        Map<String, String> sc = new LinkedHashMap<>(given.sysctl() == null ? Map.of() : given.sysctl().values());
        sc.putAll(sysctl);
        return new Inputs(kc, cmdline, new Sysctls("(planned)", sc, List.of()), null, given.arch(), given.version());
    }

    /** One option and the predicate it must meet. */
    record Target(OptionType type, String option, Predicate predicate) {
    }

    /** The check's own expectation, plus its further conditions on settings of the same kind. */
    private List<Target> targets(Check c) {
        List<Target> out = new ArrayList<>();
        out.add(new Target(c.type(), c.option(), c.expectFor(profile)));
        for (Expr cond : c.allOf()) {
            if (cond instanceof Expr.OptionTest t && t.ref().type() == c.type()) {
                out.add(new Target(c.type(), t.ref().name(), t.predicate()));
            }
        }
        return out;
    }

    private List<Check> failing(Inputs in, Set<OptionType> types) {
        Evaluator ev = new Evaluator(in);
        List<Check> out = new ArrayList<>();
        for (Feature f : catalog.features()) {
            for (Check c : f.checks()) {
                if (types.contains(c.type()) && c.profiles().contains(profile) && ev.check(c, profile) instanceof Verdict.Fail) {
                    out.add(c);
                }
            }
        }
        return out;
    }

    /**
     * A value that meets the target's predicate, spelled for its kind of setting, given the current
     * value (lists grow) and a lookup for bounds such as {@code >= $CONFIG_X}; null when none can be
     * derived ({@code != y} says what not to have, not what to have).
     */
    static String value(Target t, String current, Function<Ref, String> lookup) {
        Predicate p = t.predicate();
        boolean kc = t.type() == OptionType.KCONFIG;
        return switch (p) {
            case Predicate.NotSet ns -> kc ? KernelConfig.NOT_SET : t.type() == OptionType.CMDLINE ? REMOVE : null;
            case Predicate.Absent ab -> t.type() == OptionType.CMDLINE ? REMOVE : null;
            case Predicate.Present pr -> t.type() == OptionType.CMDLINE ? "" : null;
            case Predicate.NotOff no -> kc ? "y" : null;
            case Predicate.Has h -> {
                String list = current == null || KernelConfig.NOT_SET.equals(current) ? "" : unquote(current);
                Set<String> items = new LinkedHashSet<>(List.of(list.isEmpty() ? new String[0] : list.split(",")));
                items.add(h.token());
                String joined = String.join(",", items);
                yield kc ? "\"" + joined + "\"" : joined;
            }
            default -> {
                String v = scalar(p, lookup);
                yield v == null || !kc || v.equals("y") || v.equals("m") || Predicate.number(v) != null ? v : "\"" + v + "\"";
            }
        };
    }

    /** The one value an equality or a bound asks for; null for anything else. */
    static String scalar(Predicate p, Function<Ref, String> lookup) {
        if (p instanceof Predicate.Equals eq) {
            return eq.value().ref() == null ? eq.value().literal() : resolved(eq.value(), lookup);
        }
        if (p instanceof Predicate.Compare c) {
            String bound = c.bound().ref() == null ? c.bound().literal() : resolved(c.bound(), lookup);
            BigInteger n = bound == null ? null : Predicate.number(bound);
            if (n == null) {
                return null;
            }
            return switch (c.op()) {
                case GE, LE -> n.toString();
                case GT -> n.add(BigInteger.ONE).toString();
                case LT -> n.subtract(BigInteger.ONE).toString();
            };
        }
        return null;
    }

    private static String resolved(Predicate.Value v, Function<Ref, String> lookup) {
        String raw = lookup.apply(v.ref());
        return raw == null || KernelConfig.NOT_SET.equals(raw) ? null : unquote(raw);
    }

    private static String unquote(String v) {
        return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v;
    }
}
