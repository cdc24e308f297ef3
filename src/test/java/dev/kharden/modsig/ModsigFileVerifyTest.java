package dev.kharden.modsig;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Verifying a module from its file (end bytes first, signed content hashed straight from disk) gives
 * exactly the verdict of verifying it in memory, for valid, tampered, truncated, unsigned, oversized,
 * compressed and corpus modules, whatever part of the signature lies outside the end bytes read first.
 */
class ModsigFileVerifyTest {
    static TestKeys.Key rsa;
    static TestKeys.Key ec;
    static byte[] big;

    @TempDir
    Path dir;

    @BeforeAll
    static void setUp() throws Exception {
        rsa = TestKeys.rsa("file verify rsa");
        ec = TestKeys.ec("file verify ec");
        byte[] elf = TestKeys.elfModule(List.of("name=big", "vermagic=6.1.0 SMP"));
        // Several buffers' worth of content, so the streamed hash takes many reads.
        big = Arrays.copyOf(elf, 700_000);
        for (int i = elf.length; i < big.length; i++) {
            big[i] = (byte) (i * 31 + (i >>> 9));
        }
    }

    static byte[] signed(byte[] module, TestKeys.Key k, String digest) throws Exception {
        return ModuleSigner.sign(module, new ModuleSigner.Options(k.pair().getPrivate(), k.cert(),
                Algorithms.digestByName(digest), false));
    }

    /** Asserts the file verdict equals the in-memory one (every field people see), for several tail sizes. */
    void same(Verifier v, byte[] bytes, String name) throws Exception {
        Path p = Files.write(dir.resolve(name), bytes);
        Verdict mem;
        try {
            mem = v.verify(ModuleImage.of(p.toString(), bytes, ModuleImage.DEFAULT_LIMIT));
        } catch (Rejected r) {
            mem = Verdict.failed(p.toString(), r);
        }
        for (int tail : new int[] {40, 700, 1024, Verifier.TAIL}) {
            Verdict file;
            try {
                file = v.verify(p, ModuleImage.DEFAULT_LIMIT, tail);
            } catch (Rejected r) {
                file = Verdict.failed(p.toString(), r);
            }
            String what = name + " tail " + tail;
            assertThat(file.status()).as(what).isEqualTo(mem.status());
            assertThat(file.errno()).as(what).isEqualTo(mem.errno());
            assertThat(file.reason()).as(what).isEqualTo(mem.reason());
            assertThat(file.signedLength()).as(what).isEqualTo(mem.signedLength());
            assertThat(file.compression()).as(what).isEqualTo(mem.compression());
            assertThat(file.signedBy()).as(what).isEqualTo(mem.signedBy());
        }
    }

    @Test
    void validAndTamperedModulesGetTheSameVerdictFromTheFile() throws Exception {
        Verifier v = new Verifier(new TrustedKeys(List.of(rsa.cert(), ec.cert())));
        for (String digest : List.of("sha256", "sha512", "sha1")) {
            byte[] s = signed(big, rsa, digest);
            same(v, s, "rsa-" + digest + ".ko");
            assertThat(v.verify(Files.write(dir.resolve("x.ko"), s), ModuleImage.DEFAULT_LIMIT).status())
                    .isEqualTo(Status.VALID);
        }
        byte[] e = signed(big, ec, "sha384");
        same(v, e, "ec.ko");
        byte[] s = signed(big, rsa, "sha256");
        List<Integer> offsets = new ArrayList<>(List.of(0, 1, 300_000, big.length - 1, big.length, s.length - 41,
                s.length - 40, s.length - 33, s.length - 29, s.length - 28, s.length - 1));
        Random r = new Random(11);
        for (int i = 0; i < 12; i++) {
            offsets.add(big.length + r.nextInt(s.length - big.length));
        }
        for (int off : offsets) {
            byte[] t = s.clone();
            t[off] ^= 0x01;
            same(v, t, "flip-" + off + ".ko");
        }
        // Twice signed: the first signature is part of the signed content.
        same(v, signed(s, rsa, "sha256"), "twice.ko");
        same(new Verifier(new TrustedKeys(List.of(ec.cert()))), s, "unknown-key.ko");
    }

    @Test
    void truncatedUnsignedAndTinyFilesGetTheSameVerdictFromTheFile() throws Exception {
        Verifier v = new Verifier(new TrustedKeys(List.of(rsa.cert())));
        byte[] s = signed(big, rsa, "sha256");
        same(v, big, "unsigned.ko");
        for (int cut : new int[] {1, 28, 40, 41, 600, s.length - big.length}) {
            same(v, Arrays.copyOf(s, s.length - cut), "cut-" + cut + ".ko");
        }
        byte[] tiny = signed(TestKeys.elfModule(List.of("name=tiny")), rsa, "sha256");
        same(v, tiny, "tiny.ko");
        same(v, Arrays.copyOfRange(s, s.length - 30, s.length), "marker-only.ko");
        same(v, new byte[0], "empty.ko");
        // sig_len pointing before the start of the file.
        byte[] far = s.clone();
        System.arraycopy(SignatureTrailer.pkcs7(s.length - 53), 0, far, far.length - 40, 12);
        same(v, far, "far.ko");
        byte[] zst = com.github.luben.zstd.Zstd.compress(s);
        same(v, zst, "compressed.ko.zst");
    }

    @Test
    void unreadableAndOversizedFilesAreRejectedLikeTheInMemoryReader() throws Exception {
        Verifier v = new Verifier(new TrustedKeys(List.of(rsa.cert())));
        Path missing = dir.resolve("missing.ko");
        Rejected r = org.junit.jupiter.api.Assertions.assertThrows(Rejected.class,
                () -> v.verify(missing, ModuleImage.DEFAULT_LIMIT));
        assertThat(r.errno()).isEqualTo(KernelErrno.ENOENT);
        Rejected d = org.junit.jupiter.api.Assertions.assertThrows(Rejected.class,
                () -> v.verify(dir, ModuleImage.DEFAULT_LIMIT));
        assertThat(d.errno()).isEqualTo(KernelErrno.EIO);
        Path p = Files.write(dir.resolve("big.ko"), signed(big, rsa, "sha256"));
        Rejected f = org.junit.jupiter.api.Assertions.assertThrows(Rejected.class, () -> v.verify(p, 100_000));
        assertThat(f.errno()).isEqualTo(KernelErrno.EFBIG);
    }

    @Test
    void corpusModulesGetTheSameVerdictFromTheFile() throws Exception {
        Path corpus = TestKeys.corpus();
        Assumptions.assumeTrue(corpus != null && Files.isDirectory(corpus), "../shared absent: skipping");
        Path amd64 = corpus.resolve("amd64");
        List<Path> mods = TestKeys.modules(amd64.resolve("modules"));
        List<TrustedCert> trusted = CertificateFiles.read(amd64.resolve("module-signing-cert.der"));
        Verifier v = new Verifier(new TrustedKeys(trusted));
        for (Path m : mods) {
            byte[] b = Files.readAllBytes(m);
            same(v, b, m.getFileName().toString());
            assertThat(v.verify(m, ModuleImage.DEFAULT_LIMIT).status()).as(m.toString()).isEqualTo(Status.VALID);
        }
    }
}
