package dev.kharden.seal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;

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

    /** True when the file has symbol lines and the first field of each is all zeros. */
    static boolean allAddressesZero(byte[] data) {
        String text = new String(data, StandardCharsets.ISO_8859_1);
        int lines = 0;
        for (String line : text.split("\n", 2000)) {
            int sp = line.indexOf(' ');
            if (sp <= 0) {
                continue;
            }
            lines++;
            for (int i = 0; i < sp; i++) {
                if (line.charAt(i) != '0') {
                    return false;
                }
            }
        }
        return lines > 0;
    }
}
