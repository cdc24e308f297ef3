package dev.kharden.modsig;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interoperability with the kernel's own scripts/sign-file (Debian package linux-kbuild-6.1) and
 * openssl: modules sign-file signs (RSA and ECDSA keys, issuer+serial and -k key id, sha256 and
 * sha512) verify with kharden, and kharden's RSA signatures are byte-identical to sign-file's.
 */
class SignFileInteropTest {
    static final Path SIGN_FILE = Path.of("/usr/lib/linux-kbuild-6.1/scripts/sign-file");
    static final String GENKEY = """
            [ req ]
            distinguished_name = req_distinguished_name
            prompt = no
            string_mask = utf8only
            x509_extensions = myexts
            [ req_distinguished_name ]
            CN = kharden interop test key
            [ myexts ]
            basicConstraints=critical,CA:FALSE
            keyUsage=digitalSignature
            subjectKeyIdentifier=hash
            authorityKeyIdentifier=keyid
            """;

    @TempDir
    static Path dir;
    static Path rsaPem;
    static Path ecPem;
    static byte[] body;

    @BeforeAll
    static void keys() throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(SIGN_FILE), "sign-file not installed (apt-get install linux-kbuild-6.1): skipping");
        Assumptions.assumeTrue(run("openssl", "version") == 0, "openssl not installed: skipping");
        Files.writeString(dir.resolve("x509.genkey"), GENKEY);
        rsaPem = dir.resolve("rsa.pem");
        ecPem = dir.resolve("ec.pem");
        assertThat(run("openssl", "req", "-new", "-nodes", "-utf8", "-sha256", "-days", "365", "-batch", "-x509",
                "-config", dir.resolve("x509.genkey").toString(), "-newkey", "rsa:2048", "-outform", "PEM",
                "-out", rsaPem.toString(), "-keyout", rsaPem.toString())).isZero();
        assertThat(run("openssl", "req", "-new", "-nodes", "-utf8", "-sha256", "-days", "365", "-batch", "-x509",
                "-config", dir.resolve("x509.genkey").toString(), "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:prime256v1", "-outform", "PEM", "-out", ecPem.toString(),
                "-keyout", ecPem.toString())).isZero();
        body = TestKeys.elfModule(List.of("name=interop", "license=GPL", "vermagic=6.1.0-56-amd64 SMP"));
        Files.write(dir.resolve("body.ko"), body);
    }

    static int run(String... cmd) throws Exception {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(60, TimeUnit.SECONDS) ? p.exitValue() : -1;
        } catch (java.io.IOException e) {
            return -1;
        }
    }

    static byte[] signFile(Path pem, String hash, boolean keyId, String out) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(SIGN_FILE.toString()));
        if (keyId) {
            cmd.add("-k");
        }
        cmd.addAll(List.of(hash, pem.toString(), pem.toString(), dir.resolve("body.ko").toString(),
                dir.resolve(out).toString()));
        assertThat(run(cmd.toArray(String[]::new))).as(String.join(" ", cmd)).isZero();
        return Files.readAllBytes(dir.resolve(out));
    }

    @Test
    void modulesSignedBySignFileVerify() throws Exception {
        for (Path pem : List.of(rsaPem, ecPem)) {
            TrustedKeys trusted = new TrustedKeys(CertificateFiles.read(pem));
            TrustedKeys other = new TrustedKeys(CertificateFiles.read(pem == rsaPem ? ecPem : rsaPem));
            for (String hash : List.of("sha256", "sha512")) {
                for (boolean keyId : List.of(false, true)) {
                    String name = pem.getFileName() + "-" + hash + (keyId ? "-k" : "") + ".ko";
                    byte[] signed = signFile(pem, hash, keyId, name);
                    ModuleImage m = ModuleImage.of(name, signed, ModuleImage.DEFAULT_LIMIT);
                    Verdict v = new Verifier(trusted).verify(m);
                    assertThat(v.status()).as(name + ": " + v.reason()).isEqualTo(Status.VALID);
                    Pkcs7Signature.Signer s = v.pkcs7().signers().getFirst();
                    assertThat(s.digest().name()).isEqualTo(hash);
                    assertThat(s.subjectKeyId() != null).isEqualTo(keyId);
                    assertThat(new Verifier(other).verify(m).status()).isEqualTo(Status.UNKNOWN_KEY);
                    byte[] tampered = signed.clone();
                    tampered[100] ^= 1;
                    assertThat(new Verifier(trusted).verify(ModuleImage.of(name, tampered, ModuleImage.DEFAULT_LIMIT))
                            .status()).isEqualTo(Status.INVALID);
                }
            }
        }
    }

    @Test
    void rsaSignaturesAreByteIdenticalToSignFile() throws Exception {
        TrustedCert cert = CertificateFiles.read(rsaPem).getFirst();
        PrivateKey key = SigningKey.read(rsaPem);
        for (String hash : List.of("sha256", "sha512", "sha384", "sha1")) {
            for (boolean keyId : List.of(false, true)) {
                byte[] theirs = signFile(rsaPem, hash, keyId, "ref-" + hash + keyId + ".ko");
                byte[] ours = ModuleSigner.sign(body, new ModuleSigner.Options(key, cert, Algorithms.digestByName(hash), keyId));
                assertThat(ours).as(hash + (keyId ? " -k" : "")).isEqualTo(theirs);
            }
        }
    }

    @Test
    void ecdsaSignaturesByKhardenVerifyWithOpenssl() throws Exception {
        TrustedCert cert = CertificateFiles.read(ecPem).getFirst();
        byte[] p7 = ModuleSigner.pkcs7(body, body.length,
                new ModuleSigner.Options(SigningKey.read(ecPem), cert, Algorithms.digestByName("sha256"), false));
        Files.write(dir.resolve("ec.p7s"), p7);
        assertThat(run("openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", dir.resolve("ec.p7s").toString(),
                "-content", dir.resolve("body.ko").toString(), "-certfile", ecPem.toString(), "-noverify",
                "-purpose", "any", "-out", "/dev/null")).isZero();
        byte[] signed = ModuleSigner.sign(body, new ModuleSigner.Options(SigningKey.read(ecPem), cert,
                Algorithms.digestByName("sha384"), true));
        assertThat(new Verifier(new TrustedKeys(List.of(cert))).verify(ModuleImage.of("ec", signed, 1 << 20)).status())
                .isEqualTo(Status.VALID);
    }
}
