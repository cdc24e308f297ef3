package dev.kharden.cli;

import dev.kharden.audit.Auditor;
import dev.kharden.audit.Inputs;
import dev.kharden.audit.LiveSystem;
import dev.kharden.audit.Report;
import dev.kharden.audit.Verdict;
import dev.kharden.catalog.Catalog;
import dev.kharden.catalog.CatalogLoader;
import dev.kharden.cmdline.Cmdline;
import dev.kharden.cmdline.CmdlineParser;
import dev.kharden.input.InputException;
import dev.kharden.input.Warning;
import dev.kharden.kconfig.KernelConfig;
import dev.kharden.kernel.Arch;
import dev.kharden.kernel.KernelVersion;
import dev.kharden.report.HtmlReport;
import dev.kharden.policy.Policy;
import dev.kharden.report.JsonReport;
import dev.kharden.report.SarifReport;
import dev.kharden.report.SourceLines;
import dev.kharden.report.Style;
import dev.kharden.report.TextReport;
import dev.kharden.sysctl.SysctlParser;
import dev.kharden.sysctl.Sysctls;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** `kharden check`: audits kernel configs, a boot command line and sysctls (or the running system). */
@Command(
        addMethodSubcommands = false,
        mixinStandardHelpOptions = true,
        name = "check",
        header = "Audit kernel hardening against a lock-down profile.",
        sortOptions = false,
        description = {
            "With no input options, audits the running system: the config from /proc/config.gz,",
            "/boot/config-$(uname -r) or the modules folder, /proc/cmdline and /proc/sys.",
            "Each --config may be a file (plain or gzip) or a folder of configs; every config gets",
            "its own report, and a bad one is reported while the others go on.",
            ""
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  kharden check                                   # this machine, profile server",
            "  kharden check --config /proc/config.gz --profile kspp",
            "  kharden check --config .config --cmdline /proc/cmdline --sysctl sysctl.txt",
            "  kharden check --config configs/ --format json > report.json",
            "  kharden check --config .config --format sarif -o kh.sarif   # code scanning",
            "  kharden check --config .config --format html -o kh.html     # for people",
            "  kharden check --config .config --fail-on high,profile:server --waivers waivers.txt",
            "  kharden check --config .config --rules site-rules.json",
            "",
            "Profiles: developer, server (default), handset, kspp (the strictest: everything KSPP",
            "and kernel-hardening-checker ask for). 'kharden catalog --profile P' lists a profile.",
            "",
            "Exit codes: 0 nothing fails, 1 a check fails, 2 usage or input error."
        })
public final class CheckCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE|DIR", description = "Kernel .config (gzip ok) or a folder of them. Repeatable.")
    List<Path> configs = new ArrayList<>();

    @Option(names = "--cmdline", paramLabel = "FILE", description = "Kernel command line, as in /proc/cmdline.")
    Path cmdline;

    @Option(names = "--sysctl", paramLabel = "FILE", description = "Output of `sysctl -a` (run as root; permission-denied lines are understood).")
    Path sysctl;

    @Option(names = "--arch", paramLabel = "ARCH", description = "Architecture (x86_64, x86_32, arm64, arm, riscv); default: read from the config.")
    String arch;

    @Option(names = "--kernel-version", paramLabel = "X.Y[.Z]", description = "Kernel version; default: read from the config header or the running kernel.")
    String kernelVersion;

    @Option(names = {"-p", "--profile"}, paramLabel = "PROFILE", defaultValue = "server",
            description = "Lock-down profile: developer, server, handset, kspp (default: ${DEFAULT-VALUE}).")
    String profile;

    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", defaultValue = "text",
            description = {"text (default), json (schema kharden-report/1, docs/report-format.md), sarif (SARIF 2.1.0",
                "for code scanning, docs/sarif.md) or html (one self-contained page with charts and filters)."})
    Format format;

    @Option(names = "--show", paramLabel = "WHAT", defaultValue = "fail",
            description = "Text, SARIF and HTML reports: 'fail' shows failures and unknowns (default), 'all' every finding.")
    String show;

    @Option(names = "--color", paramLabel = "WHEN", defaultValue = "auto", description = "auto, always or never.")
    Terminal.ColorMode color;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the report to FILE (atomically) instead of standard output.")
    Path output;

    @Option(names = "--fail-on", paramLabel = "TERMS", defaultValue = "any",
            description = "Which findings fail the run (exit 1), comma-separated terms a finding must all meet: any (default), "
                    + "none, low|medium|high (minimum severity), profile:P (checks that profile P requires), unknown (unknowns fail too).")
    String failOn;

    @Option(names = "--waivers", paramLabel = "FILE", description = "Accepted risks: 'TARGET [YYYY-MM-DD] REASON' lines or JSON "
            + "(docs/waivers.md). Waived findings are reported as waived and do not fail the run; an expired waiver fails it.")
    Path waivers;

    @Option(names = "--rules", paramLabel = "FILE", description = "Your own checks, or overrides of built-in expectations by check id, "
            + "in the catalogue format (docs/catalog-format.md). Repeatable.")
    List<Path> rules = new ArrayList<>();

    @Option(names = "--root", paramLabel = "DIR", hidden = true, description = "Audit the system below DIR instead of / (for tests).")
    Path root;

    @Override
    public Integer call() {
        if (!show.equals("fail") && !show.equals("all")) {
            throw new UsageException("--show takes 'fail' or 'all'");
        }
        Arch archOverride = Args.arch(arch);
        KernelVersion versionOverride = kernelVersion == null ? null : KernelVersion.parse(kernelVersion)
                .orElseThrow(() -> new UsageException("'" + kernelVersion + "' is not a kernel version", "write it as 6.1 or 6.1.55"));
        Timing.mark("command starts");
        List<Path> inputs = new ArrayList<>(configs);
        inputs.addAll(rules);
        inputs.addAll(java.util.Arrays.asList(cmdline, sysctl, waivers));
        Args.notAnInput("-o", output, inputs);
        Catalog catalog = CatalogLoader.load(rules);
        Timing.mark("catalogue ready");
        Args.requireProfile(catalog, profile);
        Policy policy = policy(catalog);
        PrintWriter err = spec.commandLine().getErr();
        Auditor auditor = new Auditor(catalog);
        Style style = Terminal.style(color, output != null);
        // JSON and text reports are rendered one by one on the worker that audited them; SARIF and
        // HTML are one whole document each.
        java.util.function.Function<Report, String> render = switch (format) {
            case json -> JsonReport::render;
            case text -> r -> {
                java.io.StringWriter w = new java.io.StringWriter(1 << 14);
                try (PrintWriter pw = new PrintWriter(w)) {
                    TextReport.write(r, catalog, show.equals("all"), style, pw);
                }
                return w.toString();
            };
            default -> null;
        };
        List<Audited> audited = new ArrayList<>();
        boolean inputError = false;

        if (configs.isEmpty() && cmdline == null && sysctl == null) {
            LiveSystem.Collected live = LiveSystem.collect(root == null ? Path.of("/") : root, catalog,
                    archOverride, versionOverride);
            Report r = policy.apply(withWarnings(auditor.audit(live.inputs(), profile, live.names()), live.warnings()));
            if (r.findings().stream().noneMatch(f -> f.verdict() instanceof Verdict.Pass || f.verdict() instanceof Verdict.Fail)) {
                // Not one check could be judged: an "OK" with every finding unknown would pass a CI gate.
                r.warnings().forEach(w -> err.println("kharden: " + w));
                r = new Report(r.label(), r.inputs(), r.arch(), r.version(), r.profile(), r.findings(), r.warnings(),
                        "nothing on this system could be audited: no kernel config, boot command line or sysctl was "
                                + "readable (run as root, or pass --config, --cmdline and --sysctl)");
                err.println("kharden: " + r.error());
                if (format == Format.text) {
                    return ExitCodes.USAGE; // the error line says it all
                }
                inputError = true;
            }
            audited.add(new Audited(r, live.inputs(), null, render == null ? null : render.apply(r)));
        } else {
            Cmdline cl = cmdline == null ? null : CmdlineParser.parse(cmdline);
            Sysctls sc = sysctl == null ? null : SysctlParser.parse(sysctl);
            List<Path> files = expand(configs, err);
            if (files.isEmpty()) {
                if (configs.isEmpty()) {
                    files.add(null); // cmdline and/or sysctl alone
                } else {
                    throw new UsageException("no kernel configs found in " + configs);
                }
            }
            // Each config is parsed, audited and rendered on its own: a batch uses every core, in input order.
            java.util.function.Function<Path, Audited> one = file -> {
                Map<String, String> names = new LinkedHashMap<>();
                if (file != null) {
                    names.put("config", file.toString());
                }
                if (cmdline != null) {
                    names.put("cmdline", cmdline.toString());
                }
                if (sysctl != null) {
                    names.put("sysctl", sysctl.toString());
                }
                Report r;
                Inputs in = null;
                InputException error = null;
                try {
                    KernelConfig kc = file == null ? null : ConfigPrefetch.parse(file);
                    in = inputs(kc, cl, sc, archOverride, versionOverride);
                    r = policy.apply(auditor.audit(in, profile, names));
                } catch (InputException e) {
                    r = Report.failed(file == null ? "input" : file.toString(), names, profile, e.getMessage());
                    error = e;
                }
                // Only the HTML page needs the inputs again; a batch that kept every parsed config
                // alive would make each garbage collection copy them all.
                return new Audited(r, format == Format.html ? in : null, error, render == null ? null : render.apply(r));
            };
            for (Audited a : inParallel(files, one)) {
                audited.add(a);
                if (a.error() != null) {
                    inputError = true;
                    err.println("kharden: " + Said.fit(a.error().getMessage()));
                }
            }
            if (files.size() == 1 && inputError && format == Format.text) {
                return ExitCodes.USAGE; // the one input was bad: the error line says it all
            }
        }

        Timing.mark("audited");
        List<Report> reports = audited.stream().map(Audited::report).toList();
        policy.expiredMessages().forEach(m -> err.println("kharden: " + m));
        Terminal.emit(output, spec.commandLine().getOut(), out -> {
            if (format == Format.json) {
                JsonReport.writeRendered(audited.stream().map(Audited::rendered).toList(), JsonReport.toolVersion(), out);
            } else if (format == Format.sarif) {
                SarifReport.write(reports, catalog, JsonReport.toolVersion(), show.equals("all"), new SourceLines(), out);
            } else if (format == Format.html) {
                Map<Report, Inputs> inputsOf = new java.util.IdentityHashMap<>(); // the page compares profiles
                audited.forEach(a -> inputsOf.put(a.report(), a.inputs()));
                HtmlReport.write(reports, catalog, JsonReport.toolVersion(), show.equals("all"), r -> {
                    Inputs in = inputsOf.get(r);
                    return in == null ? Map.of() : catalog.profiles().keySet().stream().collect(java.util.stream.Collectors
                            .toMap(p -> p, p -> auditor.audit(in, p, r.inputs()), (x, y) -> x, LinkedHashMap::new));
                }, out);
            } else {
                audited.forEach(a -> out.print(a.rendered()));
                if (reports.size() > 1) {
                    out.println();
                    out.println(style.bold("Summary of " + reports.size() + " inputs:"));
                    for (Report r : reports) {
                        out.println("  " + (r.error() != null ? style.red("ERROR") + " " + r.label() + ": " + r.error()
                                : TextReport.summary(r, style)));
                    }
                }
            }
        });
        Timing.mark("written");
        if (inputError) {
            return ExitCodes.USAGE;
        }
        return policy.fails(reports) ? ExitCodes.FINDINGS : ExitCodes.OK;
    }

    private Policy policy(Catalog catalog) {
        try {
            return Policy.of(catalog, failOn, waivers, java.time.LocalDate::now);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /**
     * One input's audit: its report (waivers applied), the inputs behind it (HTML only; null
     * otherwise), the error if any, and the report rendered as text or JSON (null for other formats).
     */
    private record Audited(Report report, Inputs inputs, InputException error, String rendered) {
    }

    /** Applies {@code work} to every file on all cores; results come back in the files' order. */
    private static List<Audited> inParallel(List<Path> files, java.util.function.Function<Path, Audited> work) {
        int threads = Math.min(files.size(), Runtime.getRuntime().availableProcessors());
        if (threads <= 1) {
            return files.stream().map(work).toList();
        }
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "kharden-check");
            t.setDaemon(true);
            return t;
        });
        try {
            List<java.util.concurrent.Future<Audited>> futures = new ArrayList<>();
            for (Path f : files) {
                futures.add(pool.submit(() -> work.apply(f)));
            }
            List<Audited> out = new ArrayList<>();
            for (java.util.concurrent.Future<Audited> f : futures) {
                try {
                    out.add(f.get());
                } catch (java.util.concurrent.ExecutionException e) {
                    if (e.getCause() instanceof RuntimeException re) {
                        throw re; // a usage error found on a worker is the command's error
                    }
                    throw new IllegalStateException(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    private Inputs inputs(KernelConfig kc, Cmdline cl, Sysctls sc, Arch archOverride, KernelVersion versionOverride) {
        Arch a = archOverride;
        if (a == null && kc != null) {
            a = kc.arch().orElseThrow(() -> new InputException(kc.source(), 0,
                    "cannot tell the architecture (not exactly one of CONFIG_X86_64, CONFIG_X86_32, CONFIG_ARM64, "
                            + "CONFIG_ARM and CONFIG_RISCV is set to y); pass --arch"));
        }
        if (a == null && sc != null && sc.get("kernel.arch") != null) {
            a = Arch.fromMachine(sc.get("kernel.arch")).orElse(null);
        }
        if (a == null) {
            throw new UsageException("cannot tell the architecture without a kernel config", "pass --arch");
        }
        KernelVersion v = versionOverride;
        if (v == null && kc != null) {
            v = kc.version().orElse(null);
        }
        if (v == null && sc != null && sc.get("kernel.osrelease") != null) {
            v = KernelVersion.parse(sc.get("kernel.osrelease")).orElse(null);
        }
        return new Inputs(kc, cl, sc, null, a, v);
    }

    /** Files as given; folders become their config-looking files, sorted by name. */
    private static List<Path> expand(List<Path> given, PrintWriter err) {
        List<Path> out = new ArrayList<>();
        for (Path p : given) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.list(p)) {
                    List<Path> all = s.filter(Files::isRegularFile).sorted().toList();
                    List<Path> configsFound = all.stream().filter(CheckCommand::looksLikeConfig).toList();
                    if (configsFound.size() < all.size()) {
                        err.println("kharden: " + p + ": skipped " + (all.size() - configsFound.size())
                                + " files that are not named like configs (*.config, config-*, *.gz)");
                    }
                    out.addAll(configsFound);
                } catch (IOException e) {
                    throw InputException.ofFile(p.toString(), "cannot list folder: " + e.getMessage());
                }
            } else {
                out.add(p);
            }
        }
        return out;
    }

    private static boolean looksLikeConfig(Path p) {
        String n = p.getFileName().toString();
        return n.endsWith(".config") || n.startsWith("config") || n.endsWith(".gz") || n.equals(".config");
    }

    private static Report withWarnings(Report r, List<Warning> extra) {
        List<Warning> all = new ArrayList<>(extra);
        all.addAll(r.warnings());
        return new Report(r.label(), r.inputs(), r.arch(), r.version(), r.profile(), r.findings(), List.copyOf(all), r.error());
    }
}
