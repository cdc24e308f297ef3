package dev.kharden.modsig;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Test helpers: fresh self-signed module-signing keys, synthetic ELF modules, corpus location. */
public final class TestKeys {
    /** A key pair with its self-signed certificate, like the kernel's x509.genkey produces. */
    public record Key(KeyPair pair, TrustedCert cert) {
    }

    public static Key rsa(String cn) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return selfSigned(g.generateKeyPair(), cn, "SHA256withRSA");
    }

    public static Key ec(String cn) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return selfSigned(g.generateKeyPair(), cn, "SHA256withECDSA");
    }

    private static Key selfSigned(KeyPair kp, String cn, String alg) throws Exception {
        X500Name name = new X500Name("CN=" + cn);
        long now = System.currentTimeMillis();
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now), new Date(now - 1000),
                new Date(now + 86_400_000L), name, kp.getPublic());
        b.addExtension(Extension.subjectKeyIdentifier, false,
                new JcaX509ExtensionUtils().createSubjectKeyIdentifier(kp.getPublic()));
        byte[] der = b.build(new JcaContentSignerBuilder(alg).build(kp.getPrivate())).getEncoded();
        return new Key(kp, TrustedCert.parse(der, cn));
    }

    /**
     * A minimal 64-bit little-endian ELF relocatable with a .modinfo section holding {@code modinfo}
     * ("key=value" strings) and a .shstrtab: enough for the module readers, nothing more.
     */
    public static byte[] elfModule(List<String> modinfo) {
        return TrainingModule.elf(modinfo);
    }

    /** The shared corpus folder, or null when it is absent (tests then skip). */
    public static Path corpus() {
        String shared = System.getProperty("kharden.shared");
        if (shared == null) {
            return null;
        }
        Path p = Path.of(shared, "corpus", "debian-12");
        return Files.isDirectory(p) ? p : null;
    }

    public static List<Path> modules(Path dir) throws java.io.IOException {
        List<Path> out = new ArrayList<>();
        try (var s = Files.list(dir)) {
            s.filter(p -> p.toString().endsWith(".ko")).sorted().forEach(out::add);
        }
        return out;
    }

    private TestKeys() {
    }
}
