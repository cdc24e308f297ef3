package dev.kharden.seal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Lays out a small fake /proc, /sys, /dev/kmsg tree for --root, as an unprivileged or a root reader sees it. */
final class FakeMachine {
    static final String BUILD_ID = "4a5a9b0affb66c437abcd455d2738af879985fa9";

    private FakeMachine() {
    }

    static Path create(Path root, boolean hidden) throws IOException {
        String addr = hidden ? "0000000000000000" : "ffffffff81000000";
        write(root, "proc/kallsyms", addr + " T _text\n" + (hidden ? addr : "ffffffff81001000") + " T start_kernel\n"
                + (hidden ? addr : "ffffffffc0a00000") + " t ext4_fill_super\t[ext4]\n");
        write(root, "proc/modules", "ext4 1024000 1 - Live 0x" + (hidden ? "0000000000000000" : "ffffffffc0a00000") + "\n");
        write(root, "sys/module/ext4/sections/.text", "0x" + (hidden ? "0000000000000000" : "ffffffffc0a00000") + "\n");
        write(root, "sys/module/ext4/sections/.data", "0x" + (hidden ? "0000000000000000" : "ffffffffc0a40000") + "\n");
        write(root, "proc/sys/kernel/osrelease", "6.1.0-test\n");
        write(root, "proc/sys/kernel/hostname", "db-7\n");
        write(root, "proc/sys/kernel/kptr_restrict", hidden ? "2\n" : "1\n");
        write(root, "proc/sys/kernel/perf_event_paranoid", "2\n");
        write(root, "proc/self/status", "Name:\tkharden\nCapEff:\t" + (hidden ? "0000000000000000" : "000001ffffffffff") + "\n");
        write(root, "proc/version", "Linux version 6.1.0-test (gcc 12) #1 SMP\n");
        write(root, "proc/cmdline", "BOOT_IMAGE=/vmlinuz root=/dev/sda1 quiet\n");
        ByteBuffer notes = ByteBuffer.allocate(12 + 4 + 20).order(ByteOrder.LITTLE_ENDIAN);
        notes.putInt(4).putInt(20).putInt(3).put("GNU\0".getBytes(StandardCharsets.US_ASCII)).put(java.util.HexFormat.of().parseHex(BUILD_ID));
        Files.createDirectories(root.resolve("sys/kernel"));
        Files.write(root.resolve("sys/kernel/notes"), notes.array());
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(gz)) {
            z.write("CONFIG_KALLSYMS=y\nCONFIG_RANDOMIZE_BASE=y\n".getBytes(StandardCharsets.US_ASCII));
        }
        Files.write(root.resolve("proc/config.gz"), gz.toByteArray());
        write(root, "dev/kmsg", String.join("\n",
                "6,1,1000000,-;Linux version 6.1.0-test",
                " SUBSYSTEM=cpu",
                "4,2,5123456,-;------------[ cut here ]------------",
                "4,3,5123460,-;WARNING: CPU: 0 PID: 1 at fs/ext4/super.c:100 ext4_fill_super+0x10/0x20 [ext4]",
                "4,4,5123470,-;Call Trace:",
                "4,5,5123480,-; <TASK>",
                "4,6,5123490,-; dump_stack+0x19/0x1b",
                "4,7,5123500,-;---[ end trace 0000000000000000 ]---",
                "6,8,6000000,-;eth0: link up") + "\n");
        return root;
    }

    static void write(Path root, String rel, String text) throws IOException {
        Path p = root.resolve(rel);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
    }
}
