package dev.kharden.symbolize;

import java.util.List;

/**
 * The architecture an oops came from, and with it the one rule redaction depends on: which printed
 * values are kernel-space addresses. Over-masking is the safe direction, so an unknown architecture
 * (or a log showing several) applies every architecture's rule.
 */
public enum Arch {
    X86_64,
    I386,
    ARM64,
    ARM,
    UNKNOWN;

    /** x86_64: the kernel half starts at the canonical-hole boundary (4- and 5-level paging alike). */
    private static final long X86_64_KERNEL_START = 0xffff800000000000L;
    /** i386 with the usual 3G/1G split: PAGE_OFFSET. */
    private static final long I386_KERNEL_START = 0xc0000000L;
    /** 32-bit ARM: modules sit 16 MiB below PAGE_OFFSET (0xc0000000). */
    private static final long ARM_KERNEL_START = 0xbf000000L;

    /**
     * Whether {@code value} is a kernel-space address on this architecture. 64-bit rules never match
     * 32-bit values (flags, ESR, instruction words); the 32-bit rules only look at values that fit in
     * 32 bits. {@link #UNKNOWN} matches what any architecture's rule matches.
     */
    public boolean isKernelSpace(long value) {
        return switch (this) {
            case X86_64 -> x86_64(value);
            case ARM64 -> arm64(value);
            case I386 -> fits32(value) && value >= I386_KERNEL_START;
            case ARM -> fits32(value) && value >= ARM_KERNEL_START;
            case UNKNOWN -> x86_64(value) || arm64(value) || fits32(value) && value >= ARM_KERNEL_START;
        };
    }

    /** Whether frames and registers of this architecture are 32 bits wide. */
    public boolean is32Bit() {
        return this == I386 || this == ARM;
    }

    /** Lower-case name used in JSON and messages. */
    public String id() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    private static boolean fits32(long value) {
        return (value >>> 32) == 0;
    }

    private static boolean x86_64(long value) {
        return Long.compareUnsigned(value, X86_64_KERNEL_START) >= 0;
    }

    /**
     * arm64 kernel addresses have bits 52..55 set whatever the VA size (39, 48 or 52 bits: the kernel
     * half starts at 0xffffff8000000000, 0xffff000000000000 or 0xfff0000000000000); the top byte may
     * carry a KASAN/MTE tag (f1f0..., f6f0...), so it is not looked at.
     */
    private static boolean arm64(long value) {
        return ((value >>> 52) & 0xf) == 0xf;
    }

    /**
     * Guesses the architecture from the register and location lines of a log (bodies without
     * printk prefixes). Registers decide; raw address widths break ties. A log that shows more than
     * one architecture (reports of different machines pasted into one file) or contradicts itself
     * (64-bit registers with 32-bit frames, or the other way round) is {@link #UNKNOWN}, so that
     * redaction applies every architecture's rules to all of it.
     */
    static Arch guess(List<String> bodies) {
        int x86 = 0, i386 = 0, arm64 = 0, arm = 0, eitherArm = 0, wide = 0, narrow = 0;
        for (String b : bodies) {
            String t = b.stripLeading();
            if (t.startsWith("RIP: ") || t.startsWith("RAX: ") || t.startsWith("RSP: ") || t.startsWith("R13: ")) {
                x86++;
            } else if (t.startsWith("EIP: ") || t.startsWith("EAX: ") || t.startsWith("EIP is at ")) {
                i386++;
            } else if (t.startsWith("x29: ") || t.startsWith("pstate: ")) {
                arm64++;
            } else if (t.startsWith("r10: ") || t.contains(" psr: ")) {
                // 32-bit ARM prints "pc : [<...>]    lr : [<...>]    psr: ..." on one line
                arm++;
            } else if (t.startsWith("pc : ") || t.startsWith("PC is at ") || t.startsWith("Call trace:")) {
                // either ARM may print these (arm64 before 4.16 also "PC is at"; x86 says "Call Trace:")
                eitherArm++;
            }
            int at = t.indexOf("[<");
            if (at >= 0) {
                int close = t.indexOf(">]", at);
                if (close > at) {
                    int len = close - at - 2;
                    if (len == 16) {
                        wide++;
                        // x86-64 text and modules live in the top 2 GiB; arm64 text never does
                        if (t.regionMatches(true, at + 2, "ffffffff8", 0, 9)
                                || t.regionMatches(true, at + 2, "ffffffffa", 0, 9)
                                || t.regionMatches(true, at + 2, "ffffffffb", 0, 9)
                                || t.regionMatches(true, at + 2, "ffffffffc", 0, 9)) {
                            x86++;
                        }
                    } else if (len == 8) {
                        narrow++;
                    }
                }
            }
        }
        boolean anyArm = arm64 > 0 || arm > 0 || eitherArm > 0;
        int families = (x86 > 0 ? 1 : 0) + (i386 > 0 ? 1 : 0) + (anyArm ? 1 : 0);
        boolean bits64 = x86 > 0 || arm64 > 0;
        boolean bits32 = i386 > 0 || arm > 0;
        if (families > 1 || (arm64 > 0 && arm > 0) || (wide > 0 && narrow > 0)
                || (bits64 && narrow > 0) || (bits32 && wide > 0)) {
            return UNKNOWN;
        }
        if (x86 > 0) {
            return X86_64;
        }
        if (i386 > 0) {
            return I386;
        }
        if (arm64 > 0) {
            return ARM64;
        }
        if (arm > 0) {
            return ARM;
        }
        if (eitherArm > 0) {
            return narrow > 0 ? ARM : ARM64;
        }
        // Raw frames alone do not tell i386 from 32-bit ARM, nor x86-64 from arm64; UNKNOWN masks for all.
        return UNKNOWN;
    }
}
