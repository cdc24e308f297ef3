package dev.kharden.modsig;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The real Debian 12 data: built-in key extraction, every module verifying, and tampering caught. */
class ModsigCorpusTest {
    static Path corpus;
    static TrustedKeys amd64;
    static TrustedKeys arm64;

    @BeforeAll
    static void load() {
        corpus = TestKeys.corpus();
        Assumptions.assumeTrue(corpus != null, "../shared/corpus/debian-12 absent: skipping");
        amd64 = new TrustedKeys(CertificateFiles.read(corpus.resolve("amd64/module-signing-cert.der")));
        arm64 = new TrustedKeys(CertificateFiles.read(corpus.resolve("arm64/module-signing-cert.der")));
    }

    @Test
    void certificateExtractedFromBzImageIsTheModuleSigningCertificate() throws Exception {
        List<BuiltinCertificates.Found> found = TrustSources.builtin(corpus.resolve("amd64/vmlinuz-6.1.0-56-amd64"));
        assertThat(found).hasSize(1);
        assertThat(found.getFirst().confirmed()).isTrue();
        assertThat(found.getFirst().cert().der())
                .isEqualTo(Files.readAllBytes(corpus.resolve("amd64/module-signing-cert.der")));
    }

    @Test
    void everyModuleVerifiesWithItsArchitecturesKeyAndIsUnknownKeyWithTheOther() throws Exception {
        for (String arch : List.of("amd64", "arm64")) {
            TrustedKeys own = arch.equals("amd64") ? amd64 : arm64;
            TrustedKeys other = arch.equals("amd64") ? arm64 : amd64;
            List<Path> mods = TestKeys.modules(corpus.resolve(arch + "/modules"));
            assertThat(mods).isNotEmpty();
            for (Path p : mods) {
                ModuleImage m = ModuleImage.read(p, ModuleImage.DEFAULT_LIMIT);
                Verdict ok = new Verifier(own).verify(m);
                assertThat(ok.status()).as(p.toString()).isEqualTo(Status.VALID);
                assertThat(ok.signedLength()).isEqualTo(Files.size(p) - 721);
                Verdict cross = new Verifier(other).verify(m);
                assertThat(cross.status()).as(p.toString()).isEqualTo(Status.UNKNOWN_KEY);
                assertThat(cross.errno()).isEqualTo(KernelErrno.ENOKEY);
                assertThat(cross.errno().soft()).isTrue();
            }
        }
    }

    @Test
    void compressedModulesVerifyOnTheirDecompressedContent() throws Exception {
        byte[] raw = Files.readAllBytes(corpus.resolve("amd64/modules/crc7.ko"));
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream o = new GZIPOutputStream(gz)) {
            o.write(raw);
        }
        ByteArrayOutputStream xz = new ByteArrayOutputStream();
        try (var o = new org.tukaani.xz.XZOutputStream(xz, new org.tukaani.xz.LZMA2Options(), org.tukaani.xz.XZ.CHECK_CRC32)) {
            o.write(raw);
        }
        byte[] zst = com.github.luben.zstd.Zstd.compress(raw);
        for (byte[] c : List.of(gz.toByteArray(), xz.toByteArray(), zst)) {
            ModuleImage m = ModuleImage.of("crc7.ko.?", c, ModuleImage.DEFAULT_LIMIT);
            assertThat(m.compression()).isNotEqualTo(Compression.NONE);
            assertThat(m.bytes()).isEqualTo(raw);
            assertThat(new Verifier(amd64).verify(m).status()).isEqualTo(Status.VALID);
        }
    }

    /**
     * Flips one byte at a time over deterministic samples of every region (ELF body, PKCS#7 blob,
     * trailer, magic): none of the results may be valid. Every signature and trailer byte is tried; the
     * body is sampled with a fixed stride so the test stays fast.
     */
    @Test
    void anySingleFlippedByteIsRejected() throws Exception {
        byte[] raw = Files.readAllBytes(corpus.resolve("amd64/modules/crc7.ko"));
        int sigStart = raw.length - 721;
        Verifier v = new Verifier(amd64);
        int checked = 0;
        for (int i = 0; i < raw.length; i += i < sigStart ? 7 : 1) {
            byte[] t = raw.clone();
            t[i] ^= (byte) (1 << (i % 8));
            Verdict r = v.verify(ModuleImage.of("flip@" + i, t, ModuleImage.DEFAULT_LIMIT));
            assertThat(r.status()).as("byte %d flipped", i).isNotEqualTo(Status.VALID);
            if (i < sigStart) {
                assertThat(r.status()).as("body byte %d", i).isEqualTo(Status.INVALID);
                assertThat(r.errno()).isEqualTo(KernelErrno.EKEYREJECTED);
            }
            if (i >= raw.length - 28) {
                assertThat(r.status()).as("magic byte %d", i).isEqualTo(Status.UNSIGNED);
            }
            checked++;
        }
        assertThat(checked).isGreaterThan(721 + 600);
    }
}
