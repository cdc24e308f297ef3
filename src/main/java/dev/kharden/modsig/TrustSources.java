package dev.kharden.modsig;

import dev.kharden.input.InputException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Gathers trusted certificates from certificate files and from kernel images' built-in key lists. */
public final class TrustSources {
    public static List<TrustedCert> load(List<Path> certFiles, List<Path> kernels) {
        List<TrustedCert> out = new ArrayList<>();
        for (Path p : certFiles) {
            out.addAll(CertificateFiles.read(p));
        }
        for (Path k : kernels) {
            List<BuiltinCertificates.Found> found = builtin(k);
            if (found.isEmpty()) {
                throw InputException.ofFile(k.toString(), "no built-in certificate found in the kernel image");
            }
            found.forEach(f -> out.add(f.cert()));
        }
        return out;
    }

    /** Reads a kernel image file and scans it for its built-in trusted certificates. */
    public static List<BuiltinCertificates.Found> builtin(Path kernel) {
        String name = kernel.toString();
        byte[] raw = BoundedFile.read(kernel, KernelImage.LIMIT, "a kernel image");
        KernelImage img = KernelImage.read(name, raw);
        return BuiltinCertificates.scan(img.kernel(), name);
    }

    private TrustSources() {
    }
}
