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
 * the classes they load (help, catalogue, explain, a text and a JSON audit of a small config).
 * Never used by people; its output is discarded.
 */
@Command(name = "__train", hidden = true, description = "Record the start-up cache (used by bin/kharden).")
public final class TrainCommand implements Runnable {
    /** Extra command lines other features register; each must succeed offline on any machine. */
    static final List<String[]> WORKLOADS = new ArrayList<>(List.of(
            new String[] {"--help"},
            new String[] {"--version"},
            new String[] {"catalog"},
            new String[] {"explain", "CONFIG_INIT_ON_FREE_DEFAULT_ON"},
            new String[] {"modsig", "verify", "--help"},
            new String[] {"livepatch", "check", "--help"}));

    @Override
    public void run() {
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
            List<String[]> all = new ArrayList<>(WORKLOADS);
            all.add(new String[] {"check", "--config", config.toString(), "--format", "json"});
            all.add(new String[] {"check", "--config", config.toString(), "--format", "sarif"});
            all.add(new String[] {"check", "--config", config.toString(), "--cmdline", cmdline.toString(), "--profile", "kspp"});
            all.addAll(SymbolizeCommand.trainingWorkloads(dir));
            all.addAll(ModsigVerifyCommand.trainingWorkloads(dir));
            all.add(new String[] {"fix", "--config", config.toString(), "--profile", "kspp"});
            all.add(new String[] {"diff", config.toString(), config.toString()});
            for (String[] args : all) {
                StringWriter sink = new StringWriter();
                Main.run(args, new PrintWriter(sink), new PrintWriter(sink));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            if (dir != null) {
                try (var files = Files.list(dir)) {
                    for (Path p : files.toList()) {
                        Files.deleteIfExists(p);
                    }
                    Files.deleteIfExists(dir);
                } catch (IOException ignored) {
                    // a leftover temp file is harmless
                }
            }
        }
    }
}
