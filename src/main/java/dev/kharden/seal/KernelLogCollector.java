package dev.kharden.seal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The crash reports of the kernel log: from /dev/kmsg (non-blocking) and from any dmesg or
 * journalctl -k output given with --kernel-log. Only the oops/WARN/BUG/panic reports are kept
 * (entry kernel/oops.txt); their raw addresses are as sensitive as kallsyms, hence the bundle.
 */
final class KernelLogCollector implements Collector {
    static final String ENTRY = "kernel/oops.txt";
    /** The most of a --kernel-log kharden reads: a log as large as symbolize takes. */
    static final long MAX_LOG = dev.kharden.input.TextSource.MAX_BYTES;

    private final List<Path> extraLogs;

    KernelLogCollector(List<Path> extraLogs) {
        this.extraLogs = List.copyOf(extraLogs);
    }

    @Override
    public String id() {
        return "kernel-log";
    }

    @Override
    public void collect(Machine machine, Sink sink) throws IOException {
        List<List<String>> reports = new ArrayList<>();
        List<String> sources = new ArrayList<>();
        Path kmsg = machine.path("/dev/kmsg");
        if (Files.exists(kmsg)) {
            try {
                reports.addAll(OopsExtractor.extract(KmsgReader.read(kmsg)));
                sources.add("/dev/kmsg");
            } catch (IOException e) {
                sink.note("kernel-log: cannot read the kernel log: " + e.getMessage());
            }
        } else {
            sink.note("kernel-log: /dev/kmsg is absent");
        }
        for (Path log : extraLogs) {
            List<String> lines;
            try {
                lines = dev.kharden.files.BoundedRead.readAllLines(log, MAX_LOG, StandardCharsets.ISO_8859_1);
            } catch (dev.kharden.files.BoundedRead.TooLarge e) {
                throw new IOException(log + " is larger than " + (MAX_LOG >> 20) + " MiB; not a kernel log", e);
            }
            reports.addAll(OopsExtractor.extract(lines));
            sources.add(log.toString());
        }
        sink.fact("kernelLog.reports", Integer.toString(reports.size()));
        if (reports.isEmpty()) {
            if (!sources.isEmpty()) {
                sink.note("kernel-log: no oops, WARN, BUG or panic report in " + String.join(", ", sources));
            }
            return;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < reports.size(); i++) {
            sb.append("# report ").append(i + 1).append(" of ").append(reports.size()).append('\n');
            for (String l : reports.get(i)) {
                sb.append(l).append('\n');
            }
            sb.append('\n');
        }
        sink.add(ENTRY, sb.toString().getBytes(StandardCharsets.UTF_8), String.join(", ", sources));
    }
}
