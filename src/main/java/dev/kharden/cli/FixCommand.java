package dev.kharden.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import dev.kharden.audit.Inputs;
import dev.kharden.catalog.Catalog;
import dev.kharden.catalog.CatalogLoader;
import dev.kharden.cmdline.CmdlineParser;
import dev.kharden.fix.FixFiles;
import dev.kharden.fix.FixPlan;
import dev.kharden.fix.FixPlanner;
import dev.kharden.kconfig.KconfigParser;
import dev.kharden.kconfig.KernelConfig;
import dev.kharden.kernel.Arch;
import dev.kharden.kernel.KernelVersion;
import dev.kharden.sysctl.SysctlParser;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** `kharden fix`: the config fragment, sysctl.d file and boot parameters that close a profile's gap. */
@Command(addMethodSubcommands = false, name = "fix", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        header = "Write the config fragment, sysctl.d file and boot parameters that close the gap.",
        description = {
            "Write what closes the gap between a kernel config and a profile:",
            "  " + FixFiles.FRAGMENT + "  a fragment for scripts/kconfig/merge_config.sh",
            "  " + FixFiles.SYSCTL + "  a sysctl.d file",
            "  " + FixFiles.CMDLINE + "  boot parameters to add and remove",
            "and list what config, sysctls and boot parameters alone cannot close (options absent from",
            "this config, expectations no single value meets). Without --cmdline the boot parameters",
            "are taken to be empty; without --sysctl every sysctl of the profile is written.",
            ""
        },
        footerHeading = "%nExamples:%n",
        footer = {
            "  kharden fix                                                  # this machine's kernel, profile server",
            "  kharden fix --profile kspp --config .config                 # show the plan",
            "  kharden fix --profile server --config /boot/config-$(uname -r) --out fixes/",
            "  scripts/kconfig/merge_config.sh -m .config fixes/" + FixFiles.FRAGMENT + " && make olddefconfig",
            "",
            "Exit codes: 0 the plan closes every config gap, 1 something is left that config cannot close,",
            "2 usage or input error (nothing is written)."
        })
public final class FixCommand implements Callable<Integer> {
    static final String SCHEMA = "kharden-fix/1";

    @Spec
    CommandSpec spec;

    @Option(names = "--config", paramLabel = "FILE", description = "Kernel .config (gzip ok) to fix. Default: the "
            + "running kernel's (/proc/config.gz, /boot/config-$(uname -r) or the modules folder's), with its "
            + "/proc/cmdline as --cmdline.")
    Path config;

    /** Where the running system is (tests point it at a fixture tree). */
    @Option(names = "--root", hidden = true, paramLabel = "DIR", defaultValue = "/")
    Path root;

    @Option(names = "--cmdline", paramLabel = "FILE", description = "Current kernel command line (/proc/cmdline).")
    Path cmdline;

    @Option(names = "--sysctl", paramLabel = "FILE", description = "Current `sysctl -a` output: only failing sysctls are written.")
    Path sysctl;

    @Option(names = {"-p", "--profile"}, paramLabel = "PROFILE", defaultValue = "server",
            description = "Profile to reach: developer, server, handset, kspp (default: ${DEFAULT-VALUE}).")
    String profile;

    @Option(names = "--arch", paramLabel = "ARCH", description = "Architecture; default: read from the config.")
    String arch;

    @Option(names = "--kernel-version", paramLabel = "X.Y[.Z]", description = "Kernel version; default: read from the config.")
    String kernelVersion;

    @Option(names = "--out", paramLabel = "DIR", description = "Write the three files into DIR (created if missing; each written atomically).")
    Path out;

    @Option(names = {"-f", "--format"}, paramLabel = "FORMAT", defaultValue = "text",
            description = "text (default) or json (schema " + SCHEMA + ", see docs/fix.md).")
    Format format;

    @Override
    public Integer call() {
        Args.notStandardOutput("--out", out, "--out takes a folder for the three files",
                "leave out --out to print them to standard output");
        Args.textOrJson(format, "fix");
        Catalog catalog = CatalogLoader.load();
        Args.requireProfile(catalog, profile);
        if (config == null) {
            running();
        }
        KernelConfig kc = KconfigParser.parse(config);
        Arch a = arch != null ? Args.arch(arch) : kc.arch().orElseThrow(() -> new UsageException(
                        config + ": cannot tell the architecture", "pass --arch"));
        KernelVersion v = kernelVersion != null ? KernelVersion.parse(kernelVersion).orElseThrow(() ->
                new UsageException("'" + kernelVersion + "' is not a kernel version")) : kc.version().orElse(null);
        Inputs in = new Inputs(kc, cmdline == null ? null : CmdlineParser.parse(cmdline),
                sysctl == null ? null : SysctlParser.parse(sysctl), null, a, v);
        FixPlan plan = FixPlanner.plan(catalog, in, profile);
        Map<String, String> files = Map.of(FixFiles.FRAGMENT, FixFiles.fragment(plan, config.getFileName().toString()),
                FixFiles.SYSCTL, FixFiles.sysctl(plan), FixFiles.CMDLINE, FixFiles.cmdline(plan));
        if (out != null) {
            write(files);
        }
        PrintWriter w = spec.commandLine().getOut();
        if (format == Format.json) {
            json(plan, w);
        } else {
            if (out == null) {
                for (String name : new String[] {FixFiles.FRAGMENT, FixFiles.SYSCTL, FixFiles.CMDLINE}) {
                    w.println("==> " + name + " <==");
                    w.print(files.get(name));
                    w.println();
                }
            } else {
                w.println("wrote " + out.resolve(FixFiles.FRAGMENT) + " (" + plan.kconfig().size() + " options), "
                        + FixFiles.SYSCTL + " (" + plan.sysctl().size() + " sysctls), " + FixFiles.CMDLINE + " ("
                        + plan.bootAdd().size() + " to add, " + plan.bootRemove().size() + " to remove)");
            }
            if (!plan.absent().isEmpty()) {
                w.println(plan.absent().size() + " options are not in " + config.getFileName()
                        + ": Kconfig may drop them (arch, version or dependencies): " + String.join(" ", plan.absent()));
            }
            if (!plan.unresolved().isEmpty()) {
                w.println("Not closed by config, sysctls or boot parameters alone:");
                plan.unresolved().forEach(u -> w.println("  " + u.checkId() + ": " + u.why()));
            }
        }
        w.flush();
        return plan.unresolved().isEmpty() ? ExitCodes.OK : ExitCodes.FINDINGS;
    }

    /** No --config: the running kernel's config, and its command line unless --cmdline names one. */
    private void running() {
        List<Path> candidates = dev.kharden.audit.LiveSystem.configCandidates(root);
        config = candidates.stream().filter(Files::isReadable).filter(Files::isRegularFile).findFirst()
                .orElseThrow(() -> new UsageException("no --config given, and the running kernel's config is not "
                        + "readable (looked at " + candidates + ")", "pass --config FILE"));
        Path procCmdline = dev.kharden.files.Rooted.resolve(root, "/proc/cmdline");
        if (cmdline == null && Files.isReadable(procCmdline)) {
            cmdline = procCmdline;
        }
        spec.commandLine().getErr().println("kharden: fixing the running kernel: config " + config
                + (cmdline == null ? "" : ", boot parameters from " + cmdline));
    }

    /** Creates the folder if its parent exists, then writes each file atomically. */
    private void write(Map<String, String> files) {
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new UsageException("--out " + out + " is a file, not a folder", "name a folder for the three files");
        }
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new UsageException("cannot create " + out + ": " + dev.kharden.files.CreateFailure.reason(out.toAbsolutePath().getParent(), e));
        }
        if (!Files.isWritable(out)) {
            throw new UsageException("cannot write into " + out + ": permission denied");
        }
        for (String name : files.keySet()) { // all or none: check every target before writing the first
            Path target = out.resolve(name);
            Args.notAnInput("--out", target, java.util.Arrays.asList(config, cmdline, sysctl));
            if (Files.exists(target) && !Files.isRegularFile(target)) {
                throw new UsageException("cannot write " + target + ": it is not a regular file; nothing written");
            }
        }
        files.forEach((name, text) -> Terminal.writeAtomically(out.resolve(name), text.getBytes(StandardCharsets.UTF_8)));
    }

    private void json(FixPlan p, PrintWriter w) {
        try (JsonGenerator g = new JsonFactory().createGenerator(w)) {
            g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            g.setPrettyPrinter(new DefaultPrettyPrinter());
            g.writeStartObject();
            g.writeStringField("schema", SCHEMA);
            g.writeStringField("config", config.toString());
            g.writeStringField("profile", p.profile());
            g.writeObjectFieldStart("kconfig");
            for (Map.Entry<String, String> e : p.kconfig().entrySet()) {
                g.writeStringField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
            g.writeObjectFieldStart("sysctl");
            for (Map.Entry<String, String> e : p.sysctl().entrySet()) {
                g.writeStringField(e.getKey(), e.getValue());
            }
            g.writeEndObject();
            strings(g, "bootAdd", p.bootAdd());
            strings(g, "bootRemove", p.bootRemove());
            strings(g, "absent", p.absent());
            g.writeArrayFieldStart("unresolved");
            for (FixPlan.Unresolved u : p.unresolved()) {
                g.writeStartObject();
                g.writeStringField("id", u.checkId());
                g.writeStringField("option", u.option());
                g.writeStringField("why", u.why());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeRaw('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void strings(JsonGenerator g, String name, java.util.List<String> values) throws IOException {
        g.writeArrayFieldStart(name);
        for (String s : values) {
            g.writeString(s);
        }
        g.writeEndArray();
    }
}
