package dev.kharden.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;

/**
 * Hidden: exercises the common paths in one process so bin/kharden can record a JDK 25 AOT cache of
 * the classes they load (help, catalogue, explain, a text and a JSON audit of a small config and of
 * this machine, a seal of an empty root and of this machine...).
 * Never used by people; its output is discarded.
 */
@Command(addMethodSubcommands = false, name = "__train", hidden = true, description = "Record the start-up cache (used by bin/kharden).")
public final class TrainCommand implements java.util.concurrent.Callable<Integer> {
    /**
     * Workload groups, one start-up cache each (bin/kharden maps every command to one): a cache holds
     * every class its training loaded and the JVM maps them all at start, so a cache trained on
     * everything would slow the one-config audit down with classes it never uses.
     */
    public enum Group { check, audit, modsig, symbolize, seal, all }

    @picocli.CommandLine.Parameters(index = "0", arity = "0..1", defaultValue = "all",
            description = "check, audit, modsig, symbolize, seal or all (default).")
    Group group = Group.all;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    private boolean in(Group g) {
        return group == Group.all || group == g || group == Group.audit && g == Group.check;
    }

    /** Runs the group's workloads; exit 3 if one of them broke (a cache trained on an error is no use). */
    @Override
    public Integer call() {
        int broken = 0;
        Path dir = null;
        try {
            dir = Files.createTempDirectory("kharden-train");
            Path config = Files.writeString(dir.resolve("train.config"), """
                    # Linux/x86 6.1.0 Kernel Configuration
                    CONFIG_X86_64=y
                    CONFIG_STACKPROTECTOR_STRONG=y
                    CONFIG_LSM="landlock,lockdown,yama,integrity,apparmor"
                    # CONFIG_DEVMEM is not set
                    CONFIG_DEFAULT_MMAP_MIN_ADDR=65536
                    """);
            Path cmdline = Files.writeString(dir.resolve("cmdline"), "init_on_alloc=1 mitigations=auto,nosmt\n");
            List<String[]> all = new ArrayList<>();
            if (group != Group.check) {
                all.add(new String[] {"--help"});
                all.add(new String[] {"--version"});
            }
            if (in(Group.check)) {
                all.add(new String[] {"check", "--config", config.toString(), "--format", "json"});
                all.add(new String[] {"check", "--config", config.toString(), "--cmdline", cmdline.toString(), "--profile", "kspp"});
            }
            if (in(Group.audit)) {
                all.add(new String[] {"catalog"});
                all.add(new String[] {"explain", "CONFIG_INIT_ON_FREE_DEFAULT_ON"});
                all.add(new String[] {"check", "--config", config.toString(), "--format", "sarif"});
                all.add(new String[] {"fix", "--config", config.toString(), "--profile", "kspp"});
                all.add(new String[] {"diff", config.toString(), config.toString()});
            }
            if (in(Group.symbolize)) {
                all.addAll(SymbolizeCommand.trainingWorkloads(dir));
            }
            if (in(Group.modsig)) {
                all.add(new String[] {"modsig", "verify", "--help"});
                all.add(new String[] {"livepatch", "check", "--help"});
                all.addAll(ModsigVerifyCommand.trainingWorkloads(dir));
            }
            if (in(Group.seal)) {
                all.addAll(SealCommand.trainingWorkloads(dir));
            }
            // On the live system: what they load depends on the machine (no kernel config, no kernel
            // log device...), so they may fail without the cache being any worse for it.
            List<String[]> live = new ArrayList<>();
            if (in(Group.check)) {
                live.add(new String[] {"check"}); // the one-machine audit: config, command line, sysctls
                live.add(new String[] {"check", "--format", "json"});
            }
            if (in(Group.seal)) {
                live.addAll(SealCommand.liveTrainingWorkloads(dir));
            }
            for (String[] args : all) {
                StringWriter sink = new StringWriter();
                if (Main.run(args, new PrintWriter(sink), new PrintWriter(sink)) >= ExitCodes.USAGE) {
                    broken++;
                    spec.commandLine().getErr().println("kharden: training workload failed: " + String.join(" ", args) + "\n" + sink);
                }
            }
            for (String[] args : live) {
                Main.run(args, new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (dir != null) {
                try (var files = Files.walk(dir)) {
                    for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
                        Files.deleteIfExists(p);
                    }
                } catch (IOException ignored) {
                    // a leftover temp file is harmless
                }
            }
        }
        return broken == 0 ? ExitCodes.OK : ExitCodes.INTERNAL;
    }
}
