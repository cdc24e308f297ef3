package dev.kharden.modsig;

import dev.kharden.input.InputException;

/**
 * What {@code modsig inspect} learns about one module without judging trust: file and ELF facts,
 * modinfo, the trailer as the kernel defines it and the PKCS#7 signer. {@code status} is "signed",
 * "unsigned", "unsupported", "malformed" or "unreadable"; {@code errno} says what the kernel would
 * return for the latter three.
 */
public record Inspection(String path, String status, KernelErrno errno, String reason, Compression compression,
                         long fileSize, long size, ModuleInfo info, String elfProblem, SignatureTrailer trailer,
                         int signatureOffset, int signatureLength, Pkcs7Signature pkcs7) {

    public static Inspection of(ModuleTree.Entry e, long limit) {
        String path = e.path().toString();
        if (e.error() != null) {
            return failed(path, e.error());
        }
        ModuleImage m;
        try {
            m = ModuleImage.read(e.path(), limit);
        } catch (Rejected r) {
            return failed(path, r);
        }
        return of(m);
    }

    public static Inspection of(ModuleImage m) {
        byte[] b = m.bytes();
        AppendedSignature a = AppendedSignature.locate(b, b.length);
        int bodyLen = a instanceof AppendedSignature.Present p ? p.bodyLength() : b.length;
        ModuleInfo info = null;
        String elfProblem = null;
        try {
            info = ModuleInfo.parse(m.name(), b, bodyLen);
        } catch (InputException ie) {
            elfProblem = ie.reason();
        }
        return switch (a) {
            case AppendedSignature.Unsigned u -> new Inspection(m.name(), elfProblem == null ? "unsigned" : "malformed",
                    elfProblem == null ? KernelErrno.ENODATA : KernelErrno.ENOEXEC,
                    elfProblem == null ? "no signature marker" : elfProblem, m.compression(), m.fileSize(), b.length,
                    info, elfProblem, null, -1, -1, null);
            case AppendedSignature.Broken br -> new Inspection(m.name(), br.errno().status().word(), br.errno(),
                    br.reason(), m.compression(), m.fileSize(), b.length, info, elfProblem, br.trailer(), -1, -1, null);
            case AppendedSignature.Present p -> {
                try {
                    Pkcs7Signature pk = Pkcs7Signature.parse(b, p.signatureOffset(), p.signatureLength());
                    boolean ok = elfProblem == null;
                    yield new Inspection(m.name(), ok ? "signed" : "malformed", ok ? null : KernelErrno.ENOEXEC,
                            ok ? null : elfProblem, m.compression(), m.fileSize(), b.length, info, elfProblem,
                            p.trailer(), p.signatureOffset(), p.signatureLength(), pk);
                } catch (Rejected r) {
                    yield new Inspection(m.name(), r.errno().status().word(), r.errno(), r.reason(), m.compression(),
                            m.fileSize(), b.length, info, elfProblem, p.trailer(), p.signatureOffset(),
                            p.signatureLength(), null);
                }
            }
        };
    }

    static Inspection failed(String path, Rejected r) {
        return new Inspection(path, r.errno().status().word(), r.errno(), r.reason(), null, -1, -1, null, null, null,
                -1, -1, null);
    }
}
