package dev.kharden.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kharden.modsig.Algorithms;
import dev.kharden.modsig.ModuleSigner;
import dev.kharden.modsig.TestKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The modsig and livepatch command lines: exit codes, JSON shape, refusals, atomic signing. */
class ModsigCommandTest {
    @TempDir
    static Path dir;
    static Path keyPem;
    static Path certPem;
    static Path module;
    static Path signed;

    @BeforeAll
    static void setUp() throws Exception {
        TestKeys.Key k = TestKeys.rsa("cli test");
        keyPem = dir.resolve("key.pem");
        Files.writeString(keyPem, "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(k.pair().getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n");
        certPem = dir.resolve("cert.pem");
        Files.write(certPem, k.cert().der());
        byte[] body = TestKeys.elfModule(List.of("name=cli", "vermagic=6.1.0-56-amd64 SMP", "livepatch=Y"));
        module = dir.resolve("cli.ko");
        Files.write(module, body);
        signed = dir.resolve("signed.ko");
        Files.write(signed, ModuleSigner.sign(body, new ModuleSigner.Options(k.pair().getPrivate(), k.cert(),
                Algorithms.digestByName("sha256"), false)));
    }

    @Test
    void verifyReportsEachModuleAndExitsNonZeroWhenOneIsNotValid() {
        CliRun ok = CliRun.of("modsig", "verify", "--cert", certPem.toString(), signed.toString());
        assertThat(ok.code()).isZero();
        assertThat(ok.out()).startsWith("valid").contains("1 module: 1 valid");
        CliRun mixed = CliRun.of("modsig", "verify", "--cert", certPem.toString(), "--format", "json",
                signed.toString(), module.toString());
        assertThat(mixed.code()).isEqualTo(ExitCodes.FINDINGS);
        JsonNode j = mixed.json();
        assertThat(j.get("schema").asText()).isEqualTo("kharden-modsig/1");
        assertThat(j.get("modules")).hasSize(2);
        assertThat(j.get("modules").get(0).get("status").asText()).isEqualTo("valid");
        assertThat(j.get("modules").get(1).get("status").asText()).isEqualTo("unsigned");
        assertThat(j.get("modules").get(1).get("errno").asText()).isEqualTo("ENODATA");
        assertThat(j.get("modules").get(1).get("failure").asText()).isEqualTo("soft");
        assertThat(j.get("summary").get("total").asInt()).isEqualTo(2);
    }

    @Test
    void verifyWithoutKeysIsAUsageError() {
        CliRun r = CliRun.of("modsig", "verify", signed.toString());
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("no trusted keys");
        CliRun bad = CliRun.of("modsig", "verify", "--cert", module.toString(), signed.toString());
        assertThat(bad.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(bad.err()).doesNotContain("Exception");
    }

    @Test
    void inspectShowsModinfoAndTrailer() {
        CliRun r = CliRun.of("modsig", "inspect", "--format", "json", signed.toString());
        assertThat(r.code()).isZero();
        JsonNode m = r.json().get("modules").get(0);
        assertThat(m.get("status").asText()).isEqualTo("signed");
        assertThat(m.get("modinfo").get("name").asText()).isEqualTo("cli");
        assertThat(m.get("livepatch").asBoolean()).isTrue();
        assertThat(m.get("trailer").get("id_type").asInt()).isEqualTo(2);
        assertThat(m.get("pkcs7").get("signers").get(0).get("issuer").asText()).isEqualTo("CN=cli test");
    }

    @Test
    void signWithAFileThatIsNoKeySaysSoAndLeavesTheModuleAlone() throws Exception {
        Path copy = dir.resolve("nokey.ko");
        Files.copy(module, copy);
        Path text = dir.resolve("notes.txt");
        Files.writeString(text, "not a key at all\n");
        Path der = dir.resolve("cert-as-key.der");
        Files.copy(certPem, der); // DER, but a certificate
        for (Path bad : List.of(text, der)) {
            CliRun r = CliRun.of("modsig", "sign", "--key", bad.toString(), "--cert", certPem.toString(), copy.toString());
            assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
            assertThat(r.err()).as(bad.toString()).contains(bad + ": not a private key: neither PEM nor DER (PKCS#8)")
                    .hasLineCount(1);
            assertThat(Files.readAllBytes(copy)).isEqualTo(Files.readAllBytes(module));
        }
    }

    /** OUT naming the key or the certificate would replace it with the signed module: refused, both kept. */
    @Test
    void signNeverWritesOverItsKeyOrCertificate() throws Exception {
        Path copy = dir.resolve("out-is-input.ko");
        Files.copy(module, copy);
        for (Path input : List.of(keyPem, certPem)) {
            byte[] before = Files.readAllBytes(input);
            CliRun r = CliRun.of("modsig", "sign", "--replace", "--key", keyPem.toString(), "--cert", certPem.toString(),
                    copy.toString(), input.toString());
            assertThat(r.code()).as(r.err()).isEqualTo(ExitCodes.USAGE);
            assertThat(r.err()).contains("is also an input of this run; refusing to overwrite it");
            assertThat(Files.readAllBytes(input)).isEqualTo(before);
        }
    }

    @Test
    void signRefusesToResignUnlessAskedAndWritesAtomically() throws Exception {
        Path copy = dir.resolve("resign.ko");
        Files.copy(module, copy);
        assertThat(CliRun.of("modsig", "sign", "--key", keyPem.toString(), "--cert", certPem.toString(),
                copy.toString()).code()).isZero();
        byte[] once = Files.readAllBytes(copy);
        CliRun again = CliRun.of("modsig", "sign", "--key", keyPem.toString(), "--cert", certPem.toString(), copy.toString());
        assertThat(again.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(again.err()).contains("already signed").contains("--replace");
        assertThat(Files.readAllBytes(copy)).isEqualTo(once);
        assertThat(CliRun.of("modsig", "sign", "--key", keyPem.toString(), "--cert", certPem.toString(), "--replace",
                "--hash", "sha512", copy.toString()).code()).isZero();
        byte[] twice = Files.readAllBytes(copy);
        JsonNode json = CliRun.of("modsig", "sign", "--key", keyPem.toString(), "--cert", certPem.toString(), "--replace",
                "--format", "json", copy.toString()).json();
        assertThat(json.get("modules").get(0).get("status").asText()).isEqualTo("signed");
        assertThat(json.get("summary").get("total").asInt()).isEqualTo(1);
        assertThat(json.get("summary").get("signed").asInt()).isEqualTo(1);
        assertThat(twice.length).isEqualTo(once.length);   // replaced, not appended
        assertThat(CliRun.of("modsig", "verify", "--cert", certPem.toString(), copy.toString()).code()).isZero();
        try (var s = Files.list(dir)) {
            assertThat(s.filter(p -> p.getFileName().toString().endsWith(".tmp"))).isEmpty();
        }
    }

    @Test
    void aModuleReadFromAPipeIsVerifiedWhole() throws Exception {
        Path fifo = dir.resolve("module.pipe");
        org.junit.jupiter.api.Assumptions.assumeTrue(new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0,
                "mkfifo is not available");
        var writer = java.util.concurrent.CompletableFuture.runAsync(() -> {
            try {
                Files.write(fifo, Files.readAllBytes(signed));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        CliRun r = CliRun.of("modsig", "verify", "--cert", certPem.toString(), fifo.toString());
        writer.get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(r.out()).startsWith("valid");
        assertThat(r.code()).isZero();
    }

    @Test
    void jobsOutOfRangeAreAUsageErrorBeforeAnyOutput() {
        for (String j : new String[] {"0", "-5", "99999999"}) {
            CliRun r = CliRun.of("modsig", "verify", "--cert", certPem.toString(), "-j", j, signed.toString());
            assertThat(r.code()).as(j).isEqualTo(ExitCodes.USAGE);
            assertThat(r.err()).as(j).contains("--jobs " + j + " is out of range");
            assertThat(r.out()).as(j).isEmpty();
            assertThat(CliRun.of("scan", "-j", j, dir.toString()).err()).contains("is out of range");
        }
        assertThat(CliRun.of("modsig", "verify", "--cert", certPem.toString(), "-j", "3", signed.toString()).code()).isZero();
    }

    @Test
    void signRefusesACertificateThatIsNotTheKeys() throws Exception {
        TestKeys.Key other = TestKeys.rsa("another signer");
        Path otherCert = Files.write(dir.resolve("other.der"), other.cert().der());
        Path copy = dir.resolve("mismatch.ko");
        Files.copy(module, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        CliRun r = CliRun.of("modsig", "sign", "--key", keyPem.toString(), "--cert", otherCert.toString(), copy.toString());
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("does not belong to the certificate").contains("another signer");
        assertThat(Files.readAllBytes(copy)).isEqualTo(Files.readAllBytes(module));
    }

    @Test
    void signIntoAMissingFolderIsAUsageErrorNamingTheFolder() {
        Path missing = dir.resolve("missing");
        CliRun r = CliRun.of("modsig", "sign", "--key", keyPem.toString(), "--cert", certPem.toString(),
                module.toString(), missing.resolve("out.ko").toString());
        assertThat(r.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err().strip()).isEqualTo("kharden: cannot write " + missing.resolve("out.ko")
                + ": folder " + missing + " does not exist");
    }

    @Test
    void livepatchRefusesAnEmptyReleaseAndNamesAMissingCertificate() {
        CliRun empty = CliRun.of("livepatch", "check", "--kernel-release", "", "--allow-signer", certPem.toString(), signed.toString());
        assertThat(empty.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(empty.err()).contains("is not a kernel release");
        CliRun missing = CliRun.of("livepatch", "check", "--kernel-release", "6.1.0-56-amd64", "--allow-signer",
                dir.resolve("gone.pem").toString(), signed.toString());
        assertThat(missing.err()).contains("gone.pem: no such file");
    }

    @Test
    void livepatchCheckNamesTheFailedCondition() {
        CliRun pass = CliRun.of("livepatch", "check", "--kernel-release", "6.1.0-56-amd64", "--allow-signer",
                certPem.toString(), signed.toString());
        assertThat(pass.code()).isZero();
        assertThat(pass.out()).startsWith("pass");
        CliRun wrong = CliRun.of("livepatch", "check", "--kernel-release", "6.1.0-57-amd64", "--allow-signer",
                certPem.toString(), "--format", "json", signed.toString(), module.toString());
        assertThat(wrong.code()).isEqualTo(ExitCodes.FINDINGS);
        JsonNode mods = wrong.json().get("modules");
        assertThat(mods.get(0).get("refusals").get(0).get("condition").asText()).isEqualTo("built-for-kernel");
        assertThat(mods.get(1).get("refusals")).extracting(n -> n.get("condition").asText())
                .containsExactly("built-for-kernel", "valid-signature");
    }

    @Test
    void certsFromTheCorpusKernel() throws Exception {
        Path corpus = TestKeys.corpus();
        org.junit.jupiter.api.Assumptions.assumeTrue(corpus != null, "../shared/corpus absent: skipping");
        Path out = dir.resolve("builtin.der");
        CliRun r = CliRun.of("modsig", "certs", corpus.resolve("amd64/vmlinuz-6.1.0-56-amd64").toString(),
                "--output", out.toString(), "--der", "--format", "json");
        assertThat(r.code()).isZero();
        assertThat(r.json().get("modules").get(0).get("status").asText()).isEqualTo("builtin");
        assertThat(r.json().get("summary").get("total").asInt()).isEqualTo(r.json().get("modules").size()).isPositive();
        assertThat(r.json().get("summary").get("builtin").asInt()).isEqualTo(1);
        assertThat(Files.readAllBytes(out)).isEqualTo(Files.readAllBytes(corpus.resolve("amd64/module-signing-cert.der")));
    }
}
