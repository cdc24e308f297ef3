package dev.kharden.seal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the kernel log from /dev/kmsg without blocking: the device blocks at the end of the ring
 * buffer, so it is opened O_NONBLOCK and read until EAGAIN, through kharden's JNI bridge when it is
 * built ({@link KmsgDevice}), else through the FFM API. Each read returns
 * one record "prio,seq,usec,flags;text"; records are turned into dmesg-style "[secs.usec] text"
 * lines. A regular file in kmsg format (a fake tree under --root) is read the same way.
 */
final class KmsgReader {
    private static final int O_NONBLOCK = 04000; // same value on x86, arm64, riscv (asm-generic)
    private static final int EAGAIN = 11;
    private static final int EPIPE = 32;
    private static final int EINTR = 4;
    private static final int MAX_RECORDS = 1 << 20;

    private KmsgReader() {
    }

    /** The log as dmesg-style lines; throws IOException with errno when the device refuses us. */
    static List<String> read(Path kmsg) throws IOException {
        List<String> records = Files.isRegularFile(kmsg)
                ? Files.readAllLines(kmsg, StandardCharsets.UTF_8).stream().filter(l -> !l.startsWith(" ")).toList()
                : readDevice(kmsg);
        List<String> out = new ArrayList<>(records.size());
        for (String r : records) {
            out.add(toDmesgLine(r));
        }
        return out;
    }

    /** "6,1234,5678901,-;text" becomes "[    5.678901] text"; other lines pass unchanged. */
    static String toDmesgLine(String record) {
        int semi = record.indexOf(';');
        if (semi < 0) {
            return record;
        }
        String[] f = record.substring(0, semi).split(",");
        if (f.length < 3) {
            return record;
        }
        try {
            long usec = Long.parseLong(f[2]);
            String text = record.substring(semi + 1);
            if (usec < 0) {
                return record;
            }
            // "[%5d.%06d] text", without the formatter (its first use costs milliseconds at start)
            String secs = Long.toString(usec / 1_000_000);
            String micros = Long.toString(usec % 1_000_000);
            return "[" + " ".repeat(Math.max(0, 5 - secs.length())) + secs + "."
                    + "0".repeat(6 - micros.length()) + micros + "] " + text;
        } catch (NumberFormatException e) {
            return record;
        }
    }

    private static List<String> readDevice(Path kmsg) throws IOException {
        if (KmsgDevice.available()) {
            try {
                return KmsgDevice.read(kmsg, MAX_RECORDS);
            } catch (UnsatisfiedLinkError e) {
                // A bridge library without the kernel log reader (built from other sources): FFM then.
            }
        }
        return readDeviceFfm(kmsg);
    }

    /** The device through the FFM API: the fallback without the bridge, and what tests compare it with. */
    static List<String> readDeviceFfm(Path device) throws IOException {
        Linker linker = Linker.nativeLinker();
        StructLayout state = Linker.Option.captureStateLayout();
        VarHandle errnoHandle = state.varHandle(MemoryLayout.PathElement.groupElement("errno"));
        Linker.Option errno = Linker.Option.captureCallState("errno");
        MethodHandle open = linker.downcallHandle(linker.defaultLookup().find("open").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), errno);
        MethodHandle read = linker.downcallHandle(linker.defaultLookup().find("read").orElseThrow(),
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG), errno);
        MethodHandle close = linker.downcallHandle(linker.defaultLookup().find("close").orElseThrow(),
                FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        List<String> records = new ArrayList<>();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment st = arena.allocate(state);
            MemorySegment path = arena.allocateFrom(device.toString());
            int fd = (int) open.invokeExact(st, path, O_NONBLOCK);
            if (fd < 0) {
                throw new IOException(device + ": " + errnoText((int) errnoHandle.get(st, 0L)));
            }
            try {
                MemorySegment buf = arena.allocate(16 << 10);
                while (records.size() < MAX_RECORDS) {
                    long n = (long) read.invokeExact(st, fd, buf, buf.byteSize());
                    if (n > 0) {
                        String rec = new String(buf.asSlice(0, n).toArray(JAVA_BYTE), StandardCharsets.UTF_8);
                        int nl = rec.indexOf('\n');
                        records.add(nl >= 0 ? rec.substring(0, nl) : rec);
                        continue;
                    }
                    if (n == 0) {
                        break;
                    }
                    int e = (int) errnoHandle.get(st, 0L);
                    if (e == EPIPE || e == EINTR) {
                        continue; // EPIPE: records overwritten while we read; go on with the next
                    }
                    if (e == EAGAIN) {
                        break; // end of the ring buffer
                    }
                    throw new IOException(device + ": " + errnoText(e));
                }
            } finally {
                int ignored = (int) close.invokeExact(fd);
            }
        } catch (IOException e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException(device + ": native read failed: " + t, t);
        }
        return records;
    }

    static String errnoText(int errno) {
        return switch (errno) {
            case 1 -> "operation not permitted (kernel.dmesg_restrict=1 needs CAP_SYSLOG: run as root)";
            case 13 -> "permission denied (run as root)";
            case 2 -> "no such file";
            case 21 -> "is a directory, not the kernel log device";
            case 22 -> "invalid argument (not the kernel log device?)";
            default -> "errno " + errno;
        };
    }
}
