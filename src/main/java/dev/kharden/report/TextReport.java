package dev.kharden.report;

import dev.kharden.audit.Finding;
import dev.kharden.audit.Report;
import dev.kharden.audit.Verdict;
import dev.kharden.catalog.BugClass;
import dev.kharden.catalog.Catalog;
import dev.kharden.input.Warning;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes an audit report for people: a header naming the input, architecture, version and profile;
 * the findings grouped by the bug class they defend against (failures first, by severity); and one
 * summary line. With {@code all} false, passing and not-applicable findings are only counted.
 */
public final class TextReport {
    private TextReport() {
    }

    public static void write(Report r, Catalog catalog, boolean all, Style s, PrintWriter out) {
        out.println(s.bold("kharden check: " + r.label()));
        if (r.error() != null) {
            out.println("  " + s.red("ERROR") + " " + r.error());
            out.println();
            return;
        }
        out.println("  arch " + (r.arch() == null ? "unknown" : r.arch()) + ", kernel "
                + (r.version() == null ? "unknown" : r.version()) + ", profile " + r.profile());
        for (Warning w : r.warnings()) {
            out.println("  " + s.yellow("warning") + " " + w);
        }
        Map<String, List<Finding>> groups = new LinkedHashMap<>();
        for (BugClass bc : catalog.bugClasses().values()) {
            groups.put(bc.id(), new ArrayList<>());
        }
        for (Finding f : r.findings()) {
            boolean show = all || f.verdict() instanceof Verdict.Fail || f.verdict() instanceof Verdict.Unknown;
            if (show) {
                groups.computeIfAbsent(f.feature().bugClasses().get(0), k -> new ArrayList<>()).add(f);
            }
        }
        Comparator<Finding> order = Comparator.comparingInt((Finding f) -> rank(f.verdict()) + (f.waived() ? 1 : 0))
                .thenComparing(f -> f.check().severity())
                .thenComparing(f -> f.check().option());
        for (Map.Entry<String, List<Finding>> g : groups.entrySet()) {
            if (g.getValue().isEmpty()) {
                continue;
            }
            BugClass bc = catalog.bugClasses().get(g.getKey());
            out.println();
            out.println(s.bold(g.getKey() + " " + (bc == null ? "" : bc.name())));
            g.getValue().sort(order);
            for (Finding f : g.getValue()) {
                out.println("  " + (f.waived() ? s.yellow("WAIVED ") : label(f.verdict(), s)) + " " + f.check().option() + " "
                        + s.dim("(want " + f.desired() + ")") + "  " + f.verdict().reason()
                        + (f.waived() ? s.yellow("  waived: " + f.waiver().reason()
                                + (f.waiver().expires() == null ? "" : " (until " + f.waiver().expires() + ")")) : "")
                        + "  " + s.dim("[" + f.feature().id() + ", " + f.check().severity().id() + "]"));
            }
        }
        out.println();
        out.println(summary(r, s));
        if (!all && r.count(Verdict.Fail.class) > 0) {
            out.println(s.dim("  'kharden explain FEATURE' tells what a feature defends against; --show all lists passes too."));
        }
    }

    public static String summary(Report r, Style s) {
        long fail = r.count(Verdict.Fail.class);
        String verdictWord = fail > 0 ? s.red("FAIL") : s.green("OK");
        return verdictWord + " " + r.label() + ": " + r.count(Verdict.Pass.class) + " pass, " + fail + " fail, "
                + r.count(Verdict.Unknown.class) + " unknown, " + r.count(Verdict.NotApplicable.class)
                + " not applicable" + (r.waived() > 0 ? ", " + r.waived() + " waived" : "")
                + " (profile " + r.profile() + ")";
    }

    private static int rank(Verdict v) {
        return switch (v) {
            case Verdict.Fail x -> 0;
            case Verdict.Unknown x -> 1;
            case Verdict.Pass x -> 2;
            case Verdict.NotApplicable x -> 3;
        };
    }

    private static String label(Verdict v, Style s) {
        return switch (v) {
            case Verdict.Fail x -> s.red("FAIL   ");
            case Verdict.Unknown x -> s.yellow("UNKNOWN");
            case Verdict.Pass x -> s.green("pass   ");
            case Verdict.NotApplicable x -> s.dim("n/a    ");
        };
    }
}
