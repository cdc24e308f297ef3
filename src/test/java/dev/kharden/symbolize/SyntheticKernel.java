package dev.kharden.symbolize;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * A made-up kernel for tests and the benchmark: core text symbols with known sizes, two modules, a
 * KASLR offset, and the files support would get (kallsyms, System.map, /proc/modules) plus oopses in
 * each architecture's format whose every frame is known. Deterministic for a seed.
 *
 * <p>Run as a program to write a benchmark set: {@code SyntheticKernel DIR SYMBOLS FRAMES}.
 */
final class SyntheticKernel {
    /** One generated function. */
    record Fn(String name, long link, long size, String module) {
    }

    /** One chosen frame: the function and the offset in it. */
    record Pick(Fn fn, long offset, boolean reliable) {
        String symbolic() {
            return fn.name() + "+0x" + Long.toHexString(offset) + "/0x" + Long.toHexString(fn.size())
                    + (fn.module() == null ? "" : " [" + fn.module() + "]");
        }
    }

    final Arch arch;
    final long textLink;
    final long offset;
    final List<Fn> core = new ArrayList<>();
    final List<Fn> modules = new ArrayList<>();
    final long etextLink;
    final long[] moduleBase = new long[2];
    final long[] moduleSize = new long[2];
    final long[] moduleTextEnd = new long[2];
    static final String[] MODULE_NAMES = {"alpha", "beta_drv"};
    private final Random random;

    private SyntheticKernel(Arch arch, int symbols, long offset, long seed) {
        this.arch = arch;
        this.offset = offset;
        this.random = new Random(seed);
        this.textLink = switch (arch) {
            case X86_64 -> 0xffffffff81000000L;
            case ARM64 -> 0xffff800008000000L;
            default -> 0xc1000000L;
        };
        long moduleArea = switch (arch) {
            case X86_64 -> 0xffffffffc0a00000L;
            case ARM64 -> 0xffff800000a00000L; // arm64 modules sit below the kernel image
            default -> 0xf8000000L;
        };
        long a = textLink + 0x1000;
        for (int i = 0; i < symbols; i++) {
            long size = 0x10 + 0x10L * random.nextInt(64);
            core.add(new Fn(String.format(Locale.ROOT, "fn_%s_%06d", i % 3 == 0 ? "core" : "sub", i), a, size, null));
            a += size;
        }
        etextLink = a;
        long m = moduleArea;
        for (int k = 0; k < 2; k++) {
            moduleBase[k] = m;
            long b = m;
            for (int i = 0; i < 40; i++) {
                long size = 0x20 + 0x10L * random.nextInt(32);
                modules.add(new Fn(MODULE_NAMES[k] + "_op_" + i, b, size, MODULE_NAMES[k]));
                b += size;
            }
            moduleTextEnd[k] = b;
            moduleSize[k] = (b - m) + 0x2000; // module memory goes on past its text (data, bss)
            m += 0x100000;
        }
    }

    static SyntheticKernel generate(Arch arch, int symbols, long offset, long seed) {
        return new SyntheticKernel(arch, symbols, offset, seed);
    }

    /** Runtime address of a function (modules are never shifted by the core's offset). */
    long runtime(Fn f) {
        return f.module() == null ? f.link() + offset : f.link();
    }

    private String hex(long v) {
        return arch.is32Bit() ? String.format("%08x", v) : String.format("%016x", v);
    }

    /** /proc/kallsyms as root: runtime addresses, core sorted, module symbols in a scrambled order. */
    String kallsyms() {
        StringBuilder sb = new StringBuilder(core.size() * 40);
        sb.append(hex(textLink + offset)).append(" T _text\n");
        sb.append(hex(textLink + offset)).append(" T _stext\n");
        for (Fn f : core) {
            sb.append(hex(f.link() + offset)).append(f.name().startsWith("fn_core") ? " T " : " t ")
                    .append(f.name()).append('\n');
        }
        sb.append(hex(etextLink + offset)).append(" T _etext\n");
        sb.append(hex(etextLink + offset + 0x200000)).append(" D some_data\n");
        List<Fn> mods = new ArrayList<>(modules);
        Collections.shuffle(mods, new Random(7));
        for (Fn f : mods) {
            sb.append(hex(f.link())).append(" t ").append(f.name()).append("\t[").append(f.module()).append("]\n");
        }
        for (int k = 0; k < 2; k++) {
            sb.append(hex(moduleTextEnd[k])).append(" d ").append(MODULE_NAMES[k]).append("_data\t[")
                    .append(MODULE_NAMES[k]).append("]\n");
        }
        return sb.toString();
    }

    /** System.map: link-time addresses, core only, sorted, with an absolute symbol kallsyms would drop. */
    String systemMap() {
        StringBuilder sb = new StringBuilder(core.size() * 40);
        sb.append(hex(0)).append(" A __crc_nothing\n");
        sb.append(hex(textLink)).append(" T _stext\n");
        sb.append(hex(textLink)).append(" T _text\n"); // nm -n order differs from kallsyms order
        for (Fn f : core) {
            sb.append(hex(f.link())).append(f.name().startsWith("fn_core") ? " T " : " t ").append(f.name()).append('\n');
        }
        sb.append(hex(etextLink)).append(" T _etext\n");
        sb.append(hex(etextLink + 0x200000)).append(" D some_data\n");
        return sb.toString();
    }

    String procModules() {
        StringBuilder sb = new StringBuilder();
        for (int k = 0; k < 2; k++) {
            sb.append(MODULE_NAMES[k]).append(' ').append(moduleSize[k]).append(" 0 - Live 0x")
                    .append(hex(moduleBase[k])).append(" (O)\n");
        }
        return sb.toString();
    }

    /** {@code n} frames; one in five in a module, one in four unreliable. */
    List<Pick> picks(int n) {
        List<Pick> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Fn f = i % 5 == 4 ? modules.get(random.nextInt(modules.size())) : core.get(random.nextInt(core.size()));
            out.add(new Pick(f, random.nextLong(f.size()), i % 4 != 1));
        }
        return out;
    }

    /** The oops styles the generator writes. */
    enum Style { OLD_X86, MODERN_X86, I386, ARM64 }

    /**
     * An oops in {@code style} with the given frames; {@code picks.get(0)} is the faulting location.
     * Register {@code RSI}/{@code x9}/{@code ESI} holds the runtime address of {@code valueTarget}.
     */
    String oops(Style style, List<Pick> picks, Pick valueTarget, boolean kernelOffsetLine) {
        StringBuilder sb = new StringBuilder();
        Pick top = picks.get(0);
        long topAddr = runtime(top.fn()) + top.offset();
        long value = runtime(valueTarget.fn()) + valueTarget.offset();
        switch (style) {
            case OLD_X86 -> {
                sb.append("BUG: unable to handle kernel NULL pointer dereference at 0000000000000008\n");
                sb.append("RIP: 0010:[<").append(hex(topAddr)).append(">]  [<").append(hex(topAddr)).append(">] ")
                        .append(top.symbolic()).append('\n');
                sb.append("RSP: 0018:ffff88020211fa28  EFLAGS: 00010246\n");
                sb.append("RAX: 0000000000000000 RBX: ffff880037e6e670 RCX: 00000000fffffffa\n");
                sb.append("RDX: 0000000000000000 RSI: ").append(hex(value)).append(" RDI: 0000000000000036\n");
                rawTrace(sb, picks);
            }
            case MODERN_X86 -> {
                sb.append("[   12.345678] BUG: kernel NULL pointer dereference, address: 0000000000000008\n");
                sb.append("[   12.345679] RIP: 0010:").append(top.symbolic()).append('\n');
                sb.append("[   12.345680] RSP: 0018:ffffad85491579a8 EFLAGS: 00010246\n");
                sb.append("[   12.345681] RDX: ffff9caeb3c21400 RSI: ").append(hex(value)).append(" RDI: ffffad8549157b40\n");
                sb.append("[   12.345682] Call Trace:\n");
                sb.append("[   12.345683]  <TASK>\n");
                for (Pick p : picks.subList(1, picks.size())) {
                    sb.append("[   12.345684]  ").append(p.reliable() ? "" : "? ").append(p.symbolic()).append('\n');
                }
                sb.append("[   12.345690]  </TASK>\n");
            }
            case I386 -> {
                sb.append("BUG: unable to handle kernel NULL pointer dereference at 00000008\n");
                sb.append("EIP: 0060:[<").append(hex(topAddr)).append(">] EFLAGS: 00010246 CPU: 0\n");
                sb.append("EIP is at ").append(top.symbolic()).append('\n');
                sb.append("EAX: 00000000 EBX: f13f6a10 ECX: 00000001 EDX: 00000000\n");
                sb.append("ESI: ").append(hex(value)).append(" EDI: 00000000 EBP: f13f6a00 ESP: f13f69f0\n");
                rawTrace(sb, picks);
            }
            case ARM64 -> {
                sb.append("Internal error: Oops: 96000045 [#1] SMP\n");
                sb.append("pc : ").append(top.symbolic()).append('\n');
                sb.append("lr : ").append(picks.get(1).symbolic()).append('\n');
                sb.append("sp : ffffffc008c83d80\n");
                sb.append("x11: 0000000000000000 x10: 0000000000000000 x9 : ").append(hex(value)).append('\n');
                sb.append("Call trace:\n");
                for (Pick p : picks.subList(1, picks.size())) {
                    sb.append(' ').append(p.symbolic()).append('\n');
                }
            }
        }
        if (kernelOffsetLine) {
            sb.append("Kernel Offset: 0x").append(Long.toHexString(offset)).append(" from 0x")
                    .append(Long.toHexString(textLink)).append('\n');
        }
        return sb.toString();
    }

    /** An old-style call trace: every frame with its raw address, {@code ? } for unreliable ones. */
    private void rawTrace(StringBuilder sb, List<Pick> picks) {
        sb.append("Call Trace:\n");
        for (Pick p : picks.subList(1, picks.size())) {
            sb.append(" [<").append(hex(runtime(p.fn()) + p.offset())).append(">] ")
                    .append(p.reliable() ? "" : "? ").append(p.symbolic()).append('\n');
        }
    }

    /** Writes a benchmark set: kallsyms, modules, an old-format x86-64 oops with raw addresses. */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        int symbols = Integer.parseInt(args[1]);
        int frames = Integer.parseInt(args[2]);
        SyntheticKernel k = generate(Arch.X86_64, symbols, 0x1a000000L, 42);
        List<Pick> picks = k.picks(frames + 1);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("kallsyms"), k.kallsyms(), StandardCharsets.US_ASCII);
        Files.writeString(dir.resolve("System.map"), k.systemMap(), StandardCharsets.US_ASCII);
        Files.writeString(dir.resolve("modules"), k.procModules(), StandardCharsets.US_ASCII);
        Files.writeString(dir.resolve("oops.txt"), k.oops(Style.OLD_X86, picks, picks.get(3), false),
                StandardCharsets.US_ASCII);
    }
}
