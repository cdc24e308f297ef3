package dev.kharden.audit;

import dev.kharden.catalog.Check;
import dev.kharden.catalog.Expr;
import dev.kharden.catalog.OptionType;
import dev.kharden.catalog.Predicate;
import dev.kharden.catalog.Ref;
import dev.kharden.kconfig.KernelConfig;
import dev.kharden.runtime.RuntimeValues;
import dev.kharden.sysctl.Sysctls;
import java.math.BigInteger;

/**
 * Evaluates catalogue checks and expressions against {@link Inputs} with three-valued logic (pass,
 * fail, unknown), in the order docs/catalog-format.md gives: architecture, version, parent feature,
 * boot-parameter overrides, the expectation with its alternatives, then further conditions.
 * Alternatives and conditions that cannot be evaluated for lack of input do not rescue a failing
 * check: kharden fails closed.
 */
public final class Evaluator {
    enum State { PASS, FAIL, UNKNOWN }

    /** A three-valued result with the text that explains it. */
    record Outcome(State state, String detail) {
        static Outcome pass(String d) {
            return new Outcome(State.PASS, d);
        }

        static Outcome fail(String d) {
            return new Outcome(State.FAIL, d);
        }

        static Outcome unknown(String d) {
            return new Outcome(State.UNKNOWN, d);
        }
    }

    private final Inputs in;

    public Evaluator(Inputs inputs) {
        this.in = inputs;
    }

    /** Evaluates one check under one profile. */
    public Verdict check(Check c, String profile) {
        if (in.arch() != null && !c.appliesTo(in.arch())) {
            return new Verdict.NotApplicable("does not apply to " + in.arch() + " (only " + archList(c) + ")");
        }
        if (in.version() != null) {
            if (c.minVersion() != null && in.version().compareTo(c.minVersion()) < 0) {
                return new Verdict.NotApplicable("exists from kernel " + c.minVersion() + "; this is " + in.version());
            }
            if (c.maxVersion() != null && in.version().compareTo(c.maxVersion()) > 0) {
                return new Verdict.NotApplicable("exists up to kernel " + c.maxVersion() + "; this is " + in.version());
            }
        }
        if (!in.has(c.type())) {
            return new Verdict.Unknown("no " + c.type().inputName() + " given");
        }
        for (Expr r : c.requires()) {
            Outcome o = eval(r);
            if (o.state() == State.FAIL) {
                return new Verdict.NotApplicable("parent feature off: " + o.detail());
            }
        }
        if (in.cmdline() != null) {
            for (Check.Override ov : c.overrides()) {
                if (eval(ov.when()).state() == State.PASS) {
                    String why = "boot parameter " + ov.when() + ": " + ov.reason();
                    return ov.pass() ? new Verdict.Pass(why) : new Verdict.Fail(why);
                }
            }
        }
        Outcome main = test(c.ref(), c.expectFor(profile));
        Outcome result = main;
        if (main.state() != State.PASS) {
            for (Expr alt : c.anyOf()) {
                Outcome a = eval(alt);
                if (a.state() == State.PASS) {
                    result = Outcome.pass(a.detail());
                    break;
                }
            }
        }
        if (result.state() == State.PASS) {
            for (Expr cond : c.allOf()) {
                Outcome o = eval(cond);
                if (o.state() == State.FAIL) {
                    return new Verdict.Fail("requires " + cond + ": " + o.detail());
                }
                if (o.state() == State.UNKNOWN) {
                    return new Verdict.Fail("cannot confirm " + cond + ": " + o.detail());
                }
            }
            return new Verdict.Pass(result.detail());
        }
        if (result.state() == State.UNKNOWN) {
            return new Verdict.Unknown(result.detail());
        }
        return new Verdict.Fail(result.detail());
    }

    /** Evaluates an expression (any/all/not, version and option tests). */
    Outcome eval(Expr e) {
        return switch (e) {
            case Expr.OptionTest t -> test(t.ref(), t.predicate());
            case Expr.VersionTest v -> in.version() == null
                    ? Outcome.unknown("kernel version not known")
                    : v.holds(in.version())
                            ? Outcome.pass("kernel " + in.version() + " " + v.op() + " " + v.version())
                            : Outcome.fail("kernel " + in.version() + " is not " + v.op() + " " + v.version());
            case Expr.Not n -> {
                Outcome o = eval(n.part());
                yield switch (o.state()) {
                    case PASS -> Outcome.fail("not: " + o.detail());
                    case FAIL -> Outcome.pass("not: " + o.detail());
                    case UNKNOWN -> o;
                };
            }
            case Expr.Any any -> {
                Outcome firstFail = null;
                Outcome unknown = null;
                for (Expr p : any.parts()) {
                    Outcome o = eval(p);
                    if (o.state() == State.PASS) {
                        yield o;
                    }
                    if (o.state() == State.UNKNOWN && unknown == null) {
                        unknown = o;
                    } else if (o.state() == State.FAIL && firstFail == null) {
                        firstFail = o;
                    }
                }
                yield unknown != null ? unknown : firstFail;
            }
            case Expr.All all -> {
                Outcome unknown = null;
                Outcome last = null;
                for (Expr p : all.parts()) {
                    Outcome o = eval(p);
                    if (o.state() == State.FAIL) {
                        yield o;
                    }
                    if (o.state() == State.UNKNOWN && unknown == null) {
                        unknown = o;
                    }
                    last = o;
                }
                yield unknown != null ? unknown : last;
            }
        };
    }

    /** Tests one setting against one predicate. */
    Outcome test(Ref ref, Predicate p) {
        if (!in.has(ref.type())) {
            return Outcome.unknown("no " + ref.type().inputName() + " given");
        }
        String raw = in.value(ref);
        if (ref.type() == OptionType.SYSCTL && Sysctls.DENIED.equals(raw)) {
            return Outcome.unknown(ref + ": permission denied (run `sysctl -a` as root)");
        }
        String unreadable = RuntimeValues.whyUnreadable(raw);
        if (unreadable != null) {
            return Outcome.unknown(unreadable);
        }
        boolean notSet = raw == null || (ref.type() == OptionType.KCONFIG && KernelConfig.NOT_SET.equals(raw));
        String shown = raw == null ? ref + " is not found"
                : KernelConfig.NOT_SET.equals(raw) && ref.type() == OptionType.KCONFIG ? ref + " is not set"
                : raw.length() >= 2 && raw.startsWith("\"") && raw.endsWith("\"") ? ref + " is " + raw // a kconfig string keeps its own quotes
                : ref + " is \"" + raw + "\"";
        boolean ok = switch (p) {
            case Predicate.NotSet ns -> notSet;
            case Predicate.Present pr -> raw != null;
            case Predicate.Absent ab -> raw == null;
            case Predicate.NotOff no -> raw != null && !"off".equals(raw) && !"0".equals(raw)
                    && !KernelConfig.NOT_SET.equals(raw) && !listOf(raw).contains("off");
            case Predicate.Has h -> raw != null && !notSet && listOf(raw).contains(h.token());
            case Predicate.Equals eq -> !notSet && same(unquote(raw), resolve(eq.value()));
            case Predicate.NotEquals ne -> !notSet && !same(unquote(raw), resolve(ne.value()));
            case Predicate.Compare cmp -> {
                String bound = resolve(cmp.bound());
                if (bound == null) {
                    yield false;
                }
                BigInteger a = notSet ? null : number(raw);
                BigInteger b = number(bound);
                yield a != null && b != null && cmp.op().holds(a.compareTo(b));
            }
        };
        if (!ok && p instanceof Predicate.Compare cmp && resolve(cmp.bound()) == null) {
            return Outcome.unknown(shown + "; " + cmp.bound().ref() + " (the bound) is not found");
        }
        return ok ? Outcome.pass(shown) : Outcome.fail(shown + ", expected " + describe(p));
    }

    private String resolve(Predicate.Value v) {
        if (v.ref() == null) {
            return v.literal();
        }
        String raw = in.value(v.ref());
        return raw == null || KernelConfig.NOT_SET.equals(raw) ? null : unquote(raw);
    }

    private String describe(Predicate p) {
        if (p instanceof Predicate.Compare c && c.bound().ref() != null) {
            String b = resolve(c.bound());
            return c + (b == null ? "" : " (" + b + ")");
        }
        return p.toString();
    }

    private static boolean same(String actual, String wanted) {
        if (wanted == null) {
            return false;
        }
        if (actual.equals(wanted)) {
            return true;
        }
        BigInteger a = number(actual);
        BigInteger b = number(wanted);
        return a != null && a.equals(b);
    }

    private static BigInteger number(String s) {
        return s == null ? null : Predicate.number(s);
    }

    private static java.util.List<String> listOf(String raw) {
        return java.util.Arrays.asList(unquote(raw).split(","));
    }

    static String unquote(String v) {
        return v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"") ? v.substring(1, v.length() - 1) : v;
    }

    private static String archList(Check c) {
        String[] names = new String[c.arch().size()];
        int i = 0;
        for (Object a : c.arch()) { // a loop, not a stream: called per not-applicable finding
            names[i++] = a.toString();
        }
        java.util.Arrays.sort(names);
        return String.join(", ", names);
    }
}
