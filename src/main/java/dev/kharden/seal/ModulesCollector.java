package dev.kharden.seal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where modules are loaded: /proc/modules (name, size, load address) and every
 * /sys/module/NAME/sections/SECTION address, which the support side needs to symbolize module
 * frames. Both read as zeros under the same rules as kallsyms; that is recorded.
 */
final class ModulesCollector implements Collector {
    static final String MODULES = "proc/modules";
    /** One line per section: "module section 0xaddress". */
    static final String SECTIONS = "sys/module/sections";

    @Override
    public String id() {
        return "modules";
    }

    @Override
    public void collect(Machine machine, Sink sink) throws IOException {
        try {
            byte[] modules = machine.read("/proc/modules");
            sink.add(MODULES, modules, "/proc/modules");
            if (addressesAllZero(new String(modules, StandardCharsets.ISO_8859_1))) {
                sink.note("modules: load addresses read as zero: " + AddressVisibility.whyHidden(machine));
            }
        } catch (NoSuchFileException e) {
            sink.note("modules: /proc/modules does not exist (kernel built without module support)");
            return;
        }
        Path sys = machine.path("/sys/module");
        if (!Files.isDirectory(sys)) {
            sink.note("modules: /sys/module is absent; module section addresses not collected");
            return;
        }
        StringBuilder out = new StringBuilder();
        int unreadable = 0;
        boolean anyNonZero = false;
        int count = 0;
        for (Path module : sorted(sys)) {
            Path sections = module.resolve("sections");
            if (!Files.isDirectory(sections)) {
                continue;
            }
            for (Path section : sorted(sections)) {
                if (!Files.isRegularFile(section)) {
                    continue;
                }
                String value;
                try {
                    value = new String(Files.readAllBytes(section), StandardCharsets.US_ASCII).strip();
                } catch (IOException e) {
                    unreadable++;
                    continue;
                }
                count++;
                if (!value.matches("0x0+")) {
                    anyNonZero = true;
                }
                out.append(module.getFileName()).append(' ').append(section.getFileName()).append(' ').append(value).append('\n');
            }
        }
        if (unreadable > 0) {
            sink.note("modules: " + unreadable + " section address files could not be read (they are mode 0400: run as root)");
        }
        if (count == 0) {
            return;
        }
        sink.add(SECTIONS, out.toString().getBytes(StandardCharsets.US_ASCII), "/sys/module/*/sections/*");
        if (!anyNonZero) {
            sink.note("modules: section addresses read as zero: " + AddressVisibility.whyHidden(machine));
        }
    }

    private static List<Path> sorted(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            ds.forEach(out::add);
        }
        out.sort(null);
        return out;
    }

    /** True when there are module lines and each one's load address (last field) is zero. */
    static boolean addressesAllZero(String modules) {
        List<String> lines = modules.lines().filter(l -> !l.isBlank()).toList();
        return !lines.isEmpty() && lines.stream().allMatch(l -> l.substring(l.lastIndexOf(' ') + 1).matches("0x0+"));
    }
}
