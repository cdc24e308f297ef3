package dev.kharden.modsig;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hostile and broken modules: each gets its own status and errno, and a batch goes on past them. */
class BadInputTest {
    static TestKeys.Key key;
    static byte[] module;
    static byte[] signed;

    @TempDir
    Path dir;

    @BeforeAll
    static void setUp() throws Exception {
        key = TestKeys.rsa("bad input test");
        module = TestKeys.elfModule(List.of("name=bad", "vermagic=6.1.0 SMP"));
        signed = ModuleSigner.sign(module, new ModuleSigner.Options(key.pair().getPrivate(), key.cert(),
                Algorithms.digestByName("sha256"), false));
    }

    Verdict verify(byte[] b) throws Rejected {
        return new Verifier(new TrustedKeys(List.of(key.cert()))).verify(ModuleImage.of("t", b, 1 << 20));
    }

    /** Replaces the 12-byte trailer of {@code signed}. */
    static byte[] withTrailer(byte[] trailer) {
        byte[] t = signed.clone();
        System.arraycopy(trailer, 0, t, t.length - 28 - 12, 12);
        return t;
    }

    @Test
    void theSignedFixtureIsValid() throws Exception {
        assertThat(verify(signed).status()).isEqualTo(Status.VALID);
        assertThat(verify(module).status()).isEqualTo(Status.UNSIGNED);
        assertThat(verify(module).errno()).isEqualTo(KernelErrno.ENODATA);
    }

    @Test
    void trailerChecksAreTheKernels() throws Exception {
        int sigLen = signed.length - module.length - 40;
        byte[] huge = SignatureTrailer.pkcs7(signed.length);
        assertThat(verify(withTrailer(huge)).errno()).isEqualTo(KernelErrno.EBADMSG);
        byte[] exact = SignatureTrailer.pkcs7(signed.length - 28 - 12);   // sig_len == file_len - 12: kernel says >=
        assertThat(verify(withTrailer(exact)).errno()).isEqualTo(KernelErrno.EBADMSG);
        byte[] x509 = SignatureTrailer.pkcs7(sigLen);
        x509[2] = 1;
        Verdict v = verify(withTrailer(x509));
        assertThat(v.status()).isEqualTo(Status.UNSUPPORTED);
        assertThat(v.errno()).isEqualTo(KernelErrno.ENOPKG);
        assertThat(v.errno().soft()).isTrue();
        for (int field : new int[] {0, 1, 3, 4, 5, 6, 7}) {
            byte[] t = SignatureTrailer.pkcs7(sigLen);
            t[field] = 1;
            assertThat(verify(withTrailer(t)).errno()).as("field %d", field).isEqualTo(KernelErrno.EBADMSG);
        }
        byte[] shorter = SignatureTrailer.pkcs7(sigLen - 1);
        assertThat(verify(withTrailer(shorter)).status()).isEqualTo(Status.MALFORMED);
    }

    @Test
    void truncatedAndGarbageSignatures() throws Exception {
        byte[] onlyMagic = SignatureTrailer.MAGIC.clone();
        assertThat(verify(onlyMagic).status()).isEqualTo(Status.UNSIGNED);   // not longer than the marker
        byte[] tiny = new byte[SignatureTrailer.MAGIC.length + 5];
        System.arraycopy(SignatureTrailer.MAGIC, 0, tiny, 5, SignatureTrailer.MAGIC.length);
        assertThat(verify(tiny).errno()).isEqualTo(KernelErrno.EBADMSG);
        byte[] garbage = signed.clone();
        int sigStart = module.length;
        for (int i = sigStart; i < garbage.length - 40; i++) {
            garbage[i] = (byte) (i * 31);
        }
        Verdict g = verify(garbage);
        assertThat(g.status()).isEqualTo(Status.MALFORMED);
        assertThat(g.errno().soft()).isFalse();
        byte[] cut = java.util.Arrays.copyOf(signed, signed.length - 100);
        assertThat(verify(cut).status()).isEqualTo(Status.UNSIGNED);
    }

    @Test
    void signedAttributesAndAttachedContentAreRefusedLikeTheKernel() throws Exception {
        var gen = new org.bouncycastle.cms.CMSSignedDataGenerator();
        var signer = new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withRSA").build(key.pair().getPrivate());
        gen.addSignerInfoGenerator(new org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder(
                new org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder().build())
                .build(signer, new org.bouncycastle.cert.X509CertificateHolder(key.cert().der())));
        byte[] withAttrs = gen.generate(new org.bouncycastle.cms.CMSProcessableByteArray(module), false).getEncoded();
        Verdict v = verify(append(module, withAttrs));
        assertThat(v.status()).isEqualTo(Status.INVALID);
        assertThat(v.errno()).isEqualTo(KernelErrno.EKEYREJECTED);
        assertThat(v.reason()).contains("signed attributes");
        byte[] attached = gen.generate(new org.bouncycastle.cms.CMSProcessableByteArray(module), true).getEncoded();
        assertThat(verify(append(module, attached)).errno()).isEqualTo(KernelErrno.EBADMSG);
    }

    static byte[] append(byte[] body, byte[] p7) {
        byte[] out = new byte[body.length + p7.length + 40];
        System.arraycopy(body, 0, out, 0, body.length);
        System.arraycopy(p7, 0, out, body.length, p7.length);
        System.arraycopy(SignatureTrailer.pkcs7(p7.length), 0, out, body.length + p7.length, 12);
        System.arraycopy(SignatureTrailer.MAGIC, 0, out, body.length + p7.length + 12, 28);
        return out;
    }

    @Test
    void bogusElfIsReportedByInspectButDoesNotStopTheSignatureCheck() throws Exception {
        byte[] bogus = module.clone();
        bogus[0x28] = (byte) 0xff;   // e_shoff far outside the file
        bogus[0x2f] = 0x7f;
        byte[] s = ModuleSigner.sign(bogus, new ModuleSigner.Options(key.pair().getPrivate(), key.cert(),
                Algorithms.digestByName("sha256"), false));
        assertThat(verify(s).status()).isEqualTo(Status.VALID);   // the kernel checks the signature first
        Inspection i = Inspection.of(ModuleImage.of("bogus", s, 1 << 20));
        assertThat(i.status()).isEqualTo("malformed");
        assertThat(i.errno()).isEqualTo(KernelErrno.ENOEXEC);
        assertThat(i.elfProblem()).contains("outside the file");
    }

    @Test
    void decompressionBombStopsAtTheLimit() throws Exception {
        byte[] zeros = new byte[8 << 20];
        byte[] zst = com.github.luben.zstd.Zstd.compress(zeros, 19);
        assertThat(zst.length).isLessThan(4096);
        Rejected r = org.junit.jupiter.api.Assertions.assertThrows(Rejected.class,
                () -> ModuleImage.of("bomb.ko.zst", zst, 1 << 20));
        assertThat(r.errno()).isEqualTo(KernelErrno.EFBIG);
        byte[] brokenXz = {(byte) 0xfd, '7', 'z', 'X', 'Z', 0, 1, 2, 3};
        assertThat(org.junit.jupiter.api.Assertions.assertThrows(Rejected.class,
                () -> ModuleImage.of("broken.ko.xz", brokenXz, 1 << 20)).errno()).isEqualTo(KernelErrno.EBADMSG);
    }

    /** The one-call path for a single sized frame gives what the stream path gives for every shape. */
    @Test
    void zstdFramesOfEveryShapeDecompressAsAStream() throws Exception {
        byte[] a = "first frame ".repeat(500).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] b = "second frame".repeat(300).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] sized = com.github.luben.zstd.Zstd.compress(a);
        java.io.ByteArrayOutputStream unsized = new java.io.ByteArrayOutputStream();
        try (var o = new com.github.luben.zstd.ZstdOutputStream(unsized)) {
            o.write(a);
        }
        byte[] two = java.util.Arrays.copyOf(sized, sized.length + com.github.luben.zstd.Zstd.compress(b).length);
        System.arraycopy(com.github.luben.zstd.Zstd.compress(b), 0, two, sized.length, two.length - sized.length);
        byte[] ab = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, ab, a.length, b.length);
        assertThat(Compression.ZSTD.decompress(sized, 0, sized.length, 1 << 20, false)).isEqualTo(a);
        assertThat(Compression.ZSTD.decompress(unsized.toByteArray(), 0, unsized.size(), 1 << 20, false)).isEqualTo(a);
        assertThat(Compression.ZSTD.decompress(two, 0, two.length, 1 << 20, false)).isEqualTo(ab);
        byte[] corrupt = sized.clone();
        corrupt[corrupt.length / 2] ^= 0x55;
        corrupt[corrupt.length - 3] ^= 0x55;
        assertThat(org.junit.jupiter.api.Assertions.assertThrows(Rejected.class,
                () -> Compression.ZSTD.decompress(corrupt, 0, corrupt.length, 1 << 20, false)).errno())
                .isEqualTo(KernelErrno.EBADMSG);
        byte[] truncated = java.util.Arrays.copyOf(sized, sized.length - 4);
        assertThat(org.junit.jupiter.api.Assertions.assertThrows(Rejected.class,
                () -> Compression.ZSTD.decompress(truncated, 0, truncated.length, 1 << 20, false)).errno())
                .isEqualTo(KernelErrno.EBADMSG);
    }

    @Test
    void aBatchGoesOnPastLoopsMissingAndBrokenFiles() throws Exception {
        Path tree = Files.createDirectories(dir.resolve("tree/kernel"));
        Files.write(tree.resolve("good.ko"), signed);
        Files.write(tree.resolve("unsigned.ko"), module);
        Files.write(tree.resolve("truncated.ko.xz"), new byte[] {(byte) 0xfd, '7', 'z', 'X', 'Z', 0});
        Files.write(tree.resolve("notes.txt"), new byte[] {1, 2, 3});
        Files.createSymbolicLink(tree.resolve("loop"), dir.resolve("tree"));
        Files.createSymbolicLink(tree.resolve("dangling.ko"), dir.resolve("nowhere.ko"));
        // a FIFO under a module's name: reading it would block the batch for ever
        boolean fifo = new ProcessBuilder("mkfifo", tree.resolve("fifo.ko").toString()).start().waitFor() == 0;
        List<ModuleTree.Entry> entries = ModuleTree.expand(List.of(dir.resolve("tree"), dir.resolve("missing.ko")));
        List<Verdict> out = new ArrayList<>();
        Verifier v = new Verifier(new TrustedKeys(List.of(key.cert())));
        Batch.run(entries, e -> {
            if (e.error() != null) {
                return Verdict.failed(e.path().toString(), e.error());
            }
            try {
                return v.verify(ModuleImage.read(e.path(), 1 << 20));
            } catch (Rejected r) {
                return Verdict.failed(e.path().toString(), r);
            }
        }, out::add, (d, t) -> { }, 2);
        List<String> expected = new ArrayList<>(List.of("good.ko=valid", "unsigned.ko=unsigned/ENODATA",
                "truncated.ko.xz=malformed/EBADMSG", "loop=unreadable/ELOOP",
                "dangling.ko=unreadable/ENOENT", "missing.ko=unreadable/ENOENT"));
        if (fifo) {
            expected.add("fifo.ko=unreadable/EIO");
        }
        assertThat(out).extracting(x -> Path.of(x.path()).getFileName() + "=" + x.status().word()
                + (x.errno() == null ? "" : "/" + x.errno()))
                .containsExactlyInAnyOrderElementsOf(expected);
    }

    @Test
    void unreadableFileIsItsOwnStatus() throws Exception {
        Path p = dir.resolve("secret.ko");
        Files.write(p, signed);
        Files.setPosixFilePermissions(p, java.util.Set.of());
        org.junit.jupiter.api.Assumptions.assumeFalse(Files.isReadable(p), "running as root: permissions not enforced");
        Rejected r = org.junit.jupiter.api.Assertions.assertThrows(Rejected.class, () -> ModuleImage.read(p, 1 << 20));
        assertThat(r.errno()).isEqualTo(KernelErrno.EACCES);
    }
}
