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
import java.util.Date;
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
        try {
            // EC, not RSA: the cache is recorded with the client compiler only, and RSA's BigInteger
            // methods run in training would be kept at that tier in every later run, losing the
            // server compiler's Montgomery intrinsics that module verification depends on.
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair kp = g.generateKeyPair();
            X500Name name = new X500Name("CN=kharden training key");
            long now = System.currentTimeMillis();
            byte[] der = new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(now), new Date(now - 1000),
                    new Date(now + 86_400_000L), name, kp.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate())).getEncoded();
            TrustedCert cert = TrustedCert.parse(der, "training certificate");
            // Enough content for the streamed hash to take several reads.
            byte[] module = new byte[600_000];
            byte[] elf = {0x7f, 'E', 'L', 'F', 2, 1, 1};
            System.arraycopy(elf, 0, module, 0, elf.length);
            for (int i = elf.length; i < module.length; i++) {
                module[i] = (byte) (i * 131 >>> 3);
            }
            byte[] signed = ModuleSigner.sign(module, new ModuleSigner.Options(kp.getPrivate(), cert,
                    Algorithms.digestByName("sha256"), false));
            Base64.Encoder b64 = Base64.getMimeEncoder(64, new byte[] {'\n'});
            return new Files4(
                    Files.writeString(dir.resolve("train-key.pem"), "-----BEGIN PRIVATE KEY-----\n"
                            + b64.encodeToString(kp.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n"),
                    Files.writeString(dir.resolve("train-cert.pem"), "-----BEGIN CERTIFICATE-----\n"
                            + b64.encodeToString(der) + "\n-----END CERTIFICATE-----\n"),
                    Files.write(dir.resolve("train.ko"), module),
                    Files.write(dir.resolve("train-signed.ko"), signed));
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IllegalStateException("cannot make the training key", e);
        }
    }

    private TrainingModule() {
    }
}
