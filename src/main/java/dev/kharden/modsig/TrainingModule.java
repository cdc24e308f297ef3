package dev.kharden.modsig;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Writes a throwaway signing key, its self-signed certificate, an unsigned and a signed module into a
 * folder, so the start-up cache's training run can exercise sign, inspect and verify offline on any
 * machine. The key is made fresh each time and never used for anything else.
 */
public final class TrainingModule {
    /** The files written: PEM key and certificate, an unsigned module and the same module signed. */
    public record Files4(Path key, Path cert, Path module, Path signed) {
    }

    public static Files4 write(Path dir) throws IOException {
        // EC, not RSA: without libcrypto RSA runs in java.math, and BigInteger methods run in training
        // would be recorded for the compiler tier of the training run (see writeRsa).
        return write(dir, "train", "EC", new ECGenParameterSpec("secp256r1"), "SHA256withECDSA");
    }

    /**
     * The same files for an RSA key (prefix train-rsa), or null without libcrypto: with it, RSA
     * verification is one native call, so training it only records the classes it loads (RSA keys,
     * the libcrypto calls), which a real tree's first module would otherwise load.
     */
    public static Files4 writeRsa(Path dir) throws IOException {
        return LibCrypto.system() == null ? null
                : write(dir, "train-rsa", "RSA", new java.security.spec.RSAKeyGenParameterSpec(2048,
                        java.security.spec.RSAKeyGenParameterSpec.F4), "SHA256withRSA");
    }

    private static Files4 write(Path dir, String prefix, String alg, java.security.spec.AlgorithmParameterSpec params,
                                String certSignature) throws IOException {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance(alg);
            g.initialize(params);
            KeyPair kp = g.generateKeyPair();
            X500Name name = new X500Name("CN=kharden training key");
            long now = System.currentTimeMillis();
            byte[] der = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now), new Date(now - 1000),
                    new Date(now + 86_400_000L), name, kp.getPublic())
                    .build(new JcaContentSignerBuilder(certSignature).build(kp.getPrivate())).getEncoded();
            TrustedCert cert = TrustedCert.parse(der, "training certificate");
            // Larger than the end bytes verify reads first, so the streamed hash is trained too.
            byte[] module = elf(List.of("name=train", "vermagic=6.1.0 SMP preempt mod_unload", "license=GPL",
                    "description=" + "kharden training module ".repeat(2000)));
            byte[] signed = ModuleSigner.sign(module, new ModuleSigner.Options(kp.getPrivate(), cert,
                    Algorithms.digestByName("sha256"), false));
            Base64.Encoder b64 = Base64.getMimeEncoder(64, new byte[] {'\n'});
            return new Files4(
                    Files.writeString(dir.resolve(prefix + "-key.pem"), "-----BEGIN PRIVATE KEY-----\n"
                            + b64.encodeToString(kp.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n"),
                    Files.writeString(dir.resolve(prefix + "-cert.pem"), "-----BEGIN CERTIFICATE-----\n"
                            + b64.encodeToString(der) + "\n-----END CERTIFICATE-----\n"),
                    Files.write(dir.resolve(prefix + ".ko"), module),
                    Files.write(dir.resolve(prefix + "-signed.ko"), signed));
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot make the training key", e);
        }
    }

    /**
     * A minimal 64-bit little-endian ELF relocatable with a .modinfo section holding {@code modinfo}
     * ("key=value" strings) and a .shstrtab: enough for the module readers, nothing more.
     */
    public static byte[] elf(List<String> modinfo) {
        StringBuilder info = new StringBuilder();
        for (String s : modinfo) {
            info.append(s).append('\0');
        }
        byte[] infoBytes = info.toString().getBytes(StandardCharsets.UTF_8);
        byte[] shstr = "\0.modinfo\0.shstrtab\0".getBytes(StandardCharsets.US_ASCII);
        int infoOff = 64;
        int strOff = infoOff + infoBytes.length;
        int shoff = (strOff + shstr.length + 7) & ~7;
        byte[] f = new byte[shoff + 3 * 64];
        f[0] = 0x7f;
        f[1] = 'E';
        f[2] = 'L';
        f[3] = 'F';
        f[4] = 2;
        f[5] = 1;
        f[6] = 1;
        le(f, 16, 1, 2);      // ET_REL
        le(f, 18, 62, 2);     // x86-64
        le(f, 20, 1, 4);
        le(f, 0x28, shoff, 8);
        le(f, 0x34, 64, 2);
        le(f, 0x3a, 64, 2);
        le(f, 0x3c, 3, 2);
        le(f, 0x3e, 2, 2);
        System.arraycopy(infoBytes, 0, f, infoOff, infoBytes.length);
        System.arraycopy(shstr, 0, f, strOff, shstr.length);
        section(f, shoff + 64, 1, 1, infoOff, infoBytes.length);   // .modinfo, PROGBITS
        section(f, shoff + 128, 10, 3, strOff, shstr.length);      // .shstrtab, STRTAB
        return f;
    }

    private static void section(byte[] f, int at, int name, int type, long off, long size) {
        le(f, at, name, 4);
        le(f, at + 4, type, 4);
        le(f, at + 24, off, 8);
        le(f, at + 32, size, 8);
    }

    private static void le(byte[] f, int at, long v, int n) {
        for (int i = 0; i < n; i++) {
            f[at + i] = (byte) (v >>> (8 * i));
        }
    }

    private TrainingModule() {
    }
}
