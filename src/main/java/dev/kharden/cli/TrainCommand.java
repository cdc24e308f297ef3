package dev.kharden.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine.Command;

/**
 * Hidden: exercises the common paths in one process so bin/kharden can record a JDK 25 AOT cache of
 * the classes they load. Never used by people; its output is discarded.
 */
@Command(name = "__train", hidden = true, description = "Record the start-up cache (used by bin/kharden).")
public final class TrainCommand implements Runnable {
    /** Command lines replayed while training; each must succeed on any machine, offline. */
    static final java.util.List<String[]> WORKLOADS = new java.util.ArrayList<>();

    static {
        WORKLOADS.add(new String[] {"--help"});
        WORKLOADS.add(new String[] {"--version"});
        WORKLOADS.add(new String[] {"modsig", "verify", "--help"});
        WORKLOADS.add(new String[] {"livepatch", "check", "--help"});
    }

    @Override
    public void run() {
        for (String[] args : WORKLOADS) {
            StringWriter sink = new StringWriter();
            Main.run(args, new PrintWriter(sink), new PrintWriter(sink));
        }
    }
}
