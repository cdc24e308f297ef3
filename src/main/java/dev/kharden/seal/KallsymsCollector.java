package dev.kharden.seal;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.util.List;

/**
 * /proc/kallsyms: every kernel and module symbol with its runtime address, the one thing that
 * turns raw oops addresses into names. Its addresses reveal the KASLR offset, which is why it only
 * ever travels inside the encrypted bundle. Whether the values are real or zeros is recorded.
 */
final class KallsymsCollector implements Collector {
    static final String ENTRY = "proc/kallsyms";

    @Override
    public String id() {
        return "kallsyms";
    }

    @Override
    public List<String> slowFiles() {
        return List.of("/proc/kallsyms");
    }

    @Override
    public void collect(Machine machine, Sink sink) throws IOException {
        byte[] data;
        try {
            data = machine.read("/proc/kallsyms");
        } catch (NoSuchFileException e) {
            sink.fact("kallsyms.values", "absent");
            sink.note("kallsyms: /proc/kallsyms does not exist (kernel built without CONFIG_KALLSYMS)");
            return;
        }
        sink.add(ENTRY, data, "/proc/kallsyms");
        boolean zeros = allAddressesZero(data);
        sink.fact("kallsyms.values", zeros ? "zeros" : "real");
        if (zeros) {
            sink.note("kallsyms: every address reads as zero: " + AddressVisibility.whyHidden(machine));
        }
    }

    /**
     * True when the file has symbol lines and the first field of each is all zeros; the first 2000
     * lines decide (a kernel shows all addresses or none).
     */
    static boolean allAddressesZero(byte[] data) {
        int symbols = 0;
        int start = 0;
        for (int line = 0; line < 2000 && start < data.length; line++) {
            int end = start;
            while (end < data.length && data[end] != '\n') {
                end++;
            }
            int sp = start;
            while (sp < end && data[sp] != ' ') {
                sp++;
            }
            if (sp > start && sp < end) {
                symbols++;
                for (int i = start; i < sp; i++) {
                    if (data[i] != '0') {
                        return false;
                    }
                }
            }
            start = end + 1;
        }
        return symbols > 0;
    }
}
