package dev.kharden.seal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HexFormat;

/**
 * Which kernel this is: /proc/version, the release, the build id from /sys/kernel/notes (it names
 * the exact vmlinux, so support can fetch matching debug info), /proc/cmdline and the config
 * (/proc/config.gz, else /boot/config-RELEASE).
 */
final class KernelCollector implements Collector {
    static final String VERSION = "proc/version";
    static final String NOTES = "sys/kernel/notes";
    static final String CMDLINE = "proc/cmdline";
    private static final int NT_GNU_BUILD_ID = 3;

    @Override
    public String id() {
        return "kernel";
    }

    @Override
    public void collect(Machine machine, Sink sink) throws IOException {
        String release = machine.readTrimmed("/proc/sys/kernel/osrelease");
        if (release != null) {
            sink.fact("kernel.release", release);
        }
        addIfPresent(machine, sink, "/proc/version", VERSION);
        addIfPresent(machine, sink, "/proc/cmdline", CMDLINE);
        if (Files.isReadable(machine.path("/sys/kernel/notes"))) {
            byte[] notes = machine.read("/sys/kernel/notes");
            sink.add(NOTES, notes, "/sys/kernel/notes");
            String id = buildId(notes);
            if (id != null) {
                sink.fact("kernel.buildId", id);
            } else {
                sink.note("kernel: no GNU build id in /sys/kernel/notes");
            }
        } else {
            sink.note("kernel: /sys/kernel/notes is not readable; no build id");
        }
        if (machine.isLive()) {
            sink.fact("machine.arch", System.getProperty("os.arch"));
        }
        String host = machine.readTrimmed("/proc/sys/kernel/hostname");
        if (host != null) {
            sink.fact("machine.hostname", host);
        }
        collectConfig(machine, sink, release);
    }

    private static void collectConfig(Machine machine, Sink sink, String release) throws IOException {
        if (Files.isReadable(machine.path("/proc/config.gz"))) {
            sink.add("proc/config.gz", machine.read("/proc/config.gz"), "/proc/config.gz");
            return;
        }
        if (release != null && Files.isReadable(machine.path("/boot/config-" + release))) {
            sink.add("boot/config-" + release, machine.read("/boot/config-" + release), "/boot/config-" + release);
            return;
        }
        sink.note("config: neither /proc/config.gz (CONFIG_IKCONFIG_PROC) nor /boot/config-"
                + (release == null ? "RELEASE" : release) + " is readable");
    }

    private static void addIfPresent(Machine machine, Sink sink, String path, String entry) throws IOException {
        if (Files.isReadable(machine.path(path))) {
            sink.add(entry, machine.read(path), path);
        } else {
            sink.note("kernel: " + path + " is not readable");
        }
    }

    /**
     * The GNU build id from an ELF note section: records of namesz, descsz, type (u32, the
     * kernel's byte order, little-endian on the architectures we meet), then name and desc, each
     * padded to 4 bytes. Returns lower-case hex, or null.
     */
    static String buildId(byte[] notes) {
        ByteBuffer b = ByteBuffer.wrap(notes).order(ByteOrder.LITTLE_ENDIAN);
        while (b.remaining() >= 12) {
            long namesz = Integer.toUnsignedLong(b.getInt());
            long descsz = Integer.toUnsignedLong(b.getInt());
            int type = b.getInt();
            long namePadded = (namesz + 3) & ~3L;
            long descPadded = (descsz + 3) & ~3L;
            if (namePadded + descPadded > b.remaining()) {
                return null;
            }
            byte[] name = new byte[(int) namesz];
            b.get(name);
            b.position(b.position() + (int) (namePadded - namesz));
            byte[] desc = new byte[(int) descsz];
            b.get(desc);
            b.position(b.position() + (int) (descPadded - descsz));
            if (type == NT_GNU_BUILD_ID && new String(name, StandardCharsets.US_ASCII).equals("GNU\0") && descsz > 0) {
                return HexFormat.of().formatHex(desc);
            }
        }
        return null;
    }
}
