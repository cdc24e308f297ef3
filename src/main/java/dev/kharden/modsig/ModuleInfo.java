package dev.kharden.modsig;

import dev.kharden.input.InputException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads the ELF facts of a kernel module and its {@code .modinfo} section (NUL-separated
 * {@code key=value} strings written by MODULE_LICENSE, MODULE_INFO and modpost: name, vermagic,
 * livepatch, srcversion, depends, intree, retpoline...). Only the signed content (the bytes before an
 * appended signature) is read. Security: every offset and size comes from untrusted input and is
 * bounds-checked; anything out of range is an {@link InputException}, never an array error.
 */
public record ModuleInfo(int elfClass, boolean littleEndian, int type, int machine, List<Map.Entry<String, String>> modinfo) {
    private static final int MAX_SECTIONS = 1 << 16;

    /** ELF e_type of a loadable module (ET_REL). */
    public static final int ET_REL = 1;

    /** First value of a modinfo key, or null. */
    public String get(String key) {
        for (Map.Entry<String, String> e : modinfo) {
            if (e.getKey().equals(key)) {
                return e.getValue();
            }
        }
        return null;
    }

    /** All values of a key (alias, parm, firmware... repeat). */
    public List<String> all(String key) {
        return modinfo.stream().filter(e -> e.getKey().equals(key)).map(Map.Entry::getValue).toList();
    }

    /** "x86-64", "aarch64", ... for the common machines; the number otherwise. */
    public String machineName() {
        return switch (machine) {
            case 3 -> "i386";
            case 8 -> "mips";
            case 20 -> "ppc";
            case 21 -> "ppc64";
            case 22 -> "s390";
            case 40 -> "arm";
            case 62 -> "x86-64";
            case 183 -> "aarch64";
            case 243 -> "riscv";
            case 258 -> "loongarch";
            default -> "machine " + machine;
        };
    }

    /** The kernel release a module is built for: the first word of vermagic. */
    public String kernelRelease() {
        String v = get("vermagic");
        if (v == null || v.isBlank()) {
            return null;
        }
        return v.strip().split("\\s+", 2)[0];
    }

    public static ModuleInfo parse(String source, byte[] b, int len) {
        if (len < 16 || b[0] != 0x7f || b[1] != 'E' || b[2] != 'L' || b[3] != 'F') {
            throw InputException.ofFile(source, "not an ELF file (no \\x7fELF magic)");
        }
        int cls = b[4];
        int data = b[5];
        if (cls != 1 && cls != 2) {
            throw InputException.ofFile(source, "ELF class " + cls + " is neither 32- nor 64-bit");
        }
        if (data != 1 && data != 2) {
            throw InputException.ofFile(source, "ELF data encoding " + data + " is neither little- nor big-endian");
        }
        Reader r = new Reader(source, b, len, data == 1);
        boolean is64 = cls == 2;
        int type = r.u16(16);
        int machine = r.u16(18);
        long shoff = is64 ? r.u64(0x28) : r.u32(0x20);
        int shentsize = r.u16(is64 ? 0x3a : 0x2e);
        int shnum = r.u16(is64 ? 0x3c : 0x30);
        int shstrndx = r.u16(is64 ? 0x3e : 0x32);
        int minEnt = is64 ? 64 : 40;
        if (shnum == 0 || shnum > MAX_SECTIONS) {
            throw InputException.ofFile(source, "ELF has no section headers (shnum " + shnum + ")");
        }
        if (shentsize < minEnt) {
            throw InputException.ofFile(source, "ELF section header size " + shentsize + " is too small");
        }
        if (shoff <= 0 || shoff + (long) shnum * shentsize > len) {
            throw InputException.ofFile(source, "ELF section headers lie outside the file");
        }
        if (shstrndx >= shnum) {
            throw InputException.ofFile(source, "ELF section-name table index " + shstrndx + " out of range");
        }
        long[] strtab = section(r, is64, shoff + (long) shstrndx * shentsize, len);
        List<Map.Entry<String, String>> info = new ArrayList<>();
        boolean found = false;
        for (int i = 0; i < shnum && !found; i++) {
            long at = shoff + (long) i * shentsize;
            long nameOff = r.u32(at);
            if (nameOff >= strtab[1]) {
                continue;
            }
            if (r.matches(strtab[0] + nameOff, ".modinfo\0")) {
                long[] sec = section(r, is64, at, len);
                int type32 = (int) r.u32(at + 4);
                if (type32 == 8) {
                    break; // SHT_NOBITS: no data
                }
                parseModinfo(b, (int) sec[0], (int) sec[1], info);
                found = true;
            }
        }
        return new ModuleInfo(is64 ? 64 : 32, data == 1, type, machine, List.copyOf(info));
    }

    /** {offset, size} of the section whose header is at {@code at}, checked against the file. */
    private static long[] section(Reader r, boolean is64, long at, int len) {
        long off = is64 ? r.u64(at + 24) : r.u32(at + 16);
        long size = is64 ? r.u64(at + 32) : r.u32(at + 20);
        if (off < 0 || size < 0 || off + size > len || off + size < 0) {
            throw InputException.ofFile(r.source, "ELF section at header offset " + at + " lies outside the file");
        }
        return new long[] {off, size};
    }

    private static void parseModinfo(byte[] b, int off, int size, List<Map.Entry<String, String>> out) {
        int end = off + size;
        int i = off;
        while (i < end) {
            int z = i;
            while (z < end && b[z] != 0) {
                z++;
            }
            if (z > i) {
                String s = new String(b, i, z - i, StandardCharsets.UTF_8);
                int eq = s.indexOf('=');
                if (eq > 0) {
                    out.add(Map.entry(s.substring(0, eq), s.substring(eq + 1)));
                }
            }
            i = z + 1;
        }
    }

    private record Reader(String source, byte[] b, int len, boolean le) {
        private void need(long at, int n) {
            if (at < 0 || at + n > len) {
                throw InputException.ofFile(source, "ELF header field at offset " + at + " lies outside the file");
            }
        }

        int u16(long at) {
            need(at, 2);
            int i = (int) at;
            return le ? (b[i] & 0xff) | (b[i + 1] & 0xff) << 8 : (b[i] & 0xff) << 8 | (b[i + 1] & 0xff);
        }

        long u32(long at) {
            need(at, 4);
            long lo = u16(le ? at : at + 2);
            long hi = u16(le ? at + 2 : at);
            return (hi << 16) | lo;
        }

        long u64(long at) {
            need(at, 8);
            long lo = u32(le ? at : at + 4);
            long hi = u32(le ? at + 4 : at);
            if (hi > Integer.MAX_VALUE) {
                return -1; // absurd offsets read as "outside the file"
            }
            return (hi << 32) | lo;
        }

        boolean matches(long at, String s) {
            if (at < 0 || at + s.length() > len) {
                return false;
            }
            for (int k = 0; k < s.length(); k++) {
                if (b[(int) at + k] != s.charAt(k)) {
                    return false;
                }
            }
            return true;
        }
    }
}
