package dev.kharden.seal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kharden.age.Age;
import dev.kharden.age.AgeKeys;
import dev.kharden.age.Identity;
import dev.kharden.age.X25519Identity;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Interoperability with the stock age CLI (Debian package "age"): kharden bundles open with
 * {@code age -d}, age's output opens with kharden, and keys work both ways. Skipped when age is not
 * installed.
 */
class AgeInteropTest {
    @TempDir
    Path tmp;

    @BeforeAll
    static void needAge() {
        Assumptions.assumeTrue(onPath("age") && onPath("age-keygen"), "age CLI not installed (apt-get install age): skipping interop tests");
    }

    static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    static String run(Path stdin, Path stdout, String... cmd) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(stdout == null);
        if (stdin != null) {
            pb.redirectInput(stdin.toFile());
        }
        if (stdout != null) {
            pb.redirectOutput(stdout.toFile());
        }
        Process p = pb.start();
        String text = stdout == null ? new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                : new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(String.join(" ", cmd) + ": " + text).isZero();
        return text;
    }

    @Test
    void ageOpensAKhardenBundle() throws Exception {
        X25519Identity support = X25519Identity.generate();
        Path key = tmp.resolve("support.key");
        Files.writeString(key, support.encode() + "\n");
        Path bundle = tmp.resolve("b.age");
        Path root = FakeMachine.create(tmp.resolve("root"), false);
        Sealer.seal(new Sealer.Options(new Machine(root), Sealer.standardCollectors(List.of(), List.of(new dev.kharden.report.AuditCollector())), List.of(),
                List.of(support.recipient()), null, bundle, false, "kharden test"));
        Path tar = tmp.resolve("b.tar");
        run(null, tar, "age", "-d", "-i", key.toString(), bundle.toString());
        String listing = run(null, null, "tar", "-tf", tar.toString());
        assertThat(listing).contains("proc/kallsyms", "sys/module/sections", Manifest.NAME);
        run(null, null, "tar", "-xf", tar.toString(), "-C", Files.createDirectories(tmp.resolve("x")).toString());
        assertThat(Files.readAllBytes(tmp.resolve("x/proc/kallsyms"))).isEqualTo(Files.readAllBytes(root.resolve("proc/kallsyms")));
    }

    @Test
    void khardenOpensAgeOutputWithAnAgeKeygenKey() throws Exception {
        Path key = tmp.resolve("age.key");
        run(null, null, "age-keygen", "-o", key.toString());
        String recipient = run(null, null, "age-keygen", "-y", key.toString()).strip();
        // A tar made by GNU tar, encrypted by age, unpacked by kharden unseal.
        Path src = Files.createDirectories(tmp.resolve("src/logs"));
        byte[] big = new byte[300_000];
        new Random(7).nextBytes(big);
        Files.write(src.resolve("big.bin"), big);
        Files.writeString(src.resolve("dmesg.txt"), "BUG: kernel NULL pointer dereference\n");
        Path tar = tmp.resolve("in.tar");
        run(null, null, "tar", "-cf", tar.toString(), "-C", tmp.resolve("src").toString(), "logs");
        Path enc = tmp.resolve("in.tar.age");
        run(null, null, "age", "-r", recipient, "-o", enc.toString(), tar.toString());
        List<Identity> ids = AgeKeys.readIdentities(key);
        BundleReader.Verified v = Unsealer.unseal(enc, ids, tmp.resolve("out"));
        assertThat(v.manifest()).isNull();
        assertThat(Files.readAllBytes(tmp.resolve("out/logs/big.bin"))).isEqualTo(big);

        // Armored output too, through the same decrypting code.
        Path armored = tmp.resolve("small.age.asc");
        run(null, null, "age", "-a", "-r", recipient, "-o", armored.toString(), src.resolve("dmesg.txt").toString());
        try (InputStream in = Age.decrypt(Files.newInputStream(armored), ids)) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).startsWith("BUG: kernel NULL");
        }
    }

    @Test
    void ageDecryptsWithAKhardenKeyAndMultipleRecipients() throws Exception {
        X25519Identity mine = X25519Identity.generate();
        Path key = tmp.resolve("k.key");
        Files.writeString(key, "# made by kharden\n" + mine.encode() + "\n");
        assertThat(run(null, null, "age-keygen", "-y", key.toString()).strip()).isEqualTo(mine.recipient().toString());
        byte[] plain = new byte[200_000];
        new Random(3).nextBytes(plain);
        Path enc = tmp.resolve("x.age");
        List<dev.kharden.age.Recipient> to = new ArrayList<>(List.of(X25519Identity.generate().recipient(), mine.recipient()));
        try (OutputStream out = Age.encrypt(Files.newOutputStream(enc), to)) {
            out.write(plain);
        }
        Path dec = tmp.resolve("x.bin");
        run(null, dec, "age", "-d", "-i", key.toString(), enc.toString());
        assertThat(Files.readAllBytes(dec)).isEqualTo(plain);
    }

    /**
     * Extra files of every size around a tar record and a payload chunk, a few MiB, and a name too
     * long for a ustar header: age with GNU tar and kharden unseal both give back the same bytes, and
     * the manifest has their SHA-256.
     */
    @Test
    void streamedFilesAtEveryBoundaryOpenWithAgeTarAndUnseal() throws Exception {
        X25519Identity support = X25519Identity.generate();
        Path key = tmp.resolve("support.key");
        Files.writeString(key, support.encode() + "\n");
        int c = 64 * 1024;
        int[] sizes = {0, 1, 511, 512, 513, c - 1, c, c + 1, 4 * 1024 * 1024, 5 * 1024 * 1024 + 3};
        Path src = Files.createDirectories(tmp.resolve("src"));
        Random rnd = new Random(5);
        List<Path> extra = new ArrayList<>();
        for (int size : sizes) {
            byte[] b = new byte[size];
            rnd.nextBytes(b);
            extra.add(Files.write(src.resolve("f" + size + ".bin"), b));
        }
        extra.add(Files.writeString(src.resolve("a-name-longer-than-the-hundred-bytes-of-a-ustar-header-".repeat(2) + "end.txt"),
                "long name\n"));
        Path bundle = tmp.resolve("b.age");
        Path root = Files.createDirectories(tmp.resolve("root"));
        Sealer.Result sealed = Sealer.seal(new Sealer.Options(new Machine(root), List.of(), extra,
                List.of(support.recipient()), null, bundle, false, "kharden test"));

        Path tar = tmp.resolve("b.tar");
        run(null, tar, "age", "-d", "-i", key.toString(), bundle.toString());
        String listing = run(null, null, "tar", "-tvf", tar.toString());
        assertThat(listing).doesNotContain("tar:"); // no warning (a lone zero block, a bad header) from GNU tar
        Path byTar = Files.createDirectories(tmp.resolve("by-tar"));
        run(null, null, "tar", "-xf", tar.toString(), "-C", byTar.toString());
        Unsealer.unseal(bundle, List.of(support), tmp.resolve("by-kharden"));
        java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
        for (Path f : extra) {
            String name = "extra/" + f.getFileName();
            byte[] want = Files.readAllBytes(f);
            assertThat(Files.readAllBytes(byTar.resolve(name))).as(name).isEqualTo(want);
            assertThat(Files.readAllBytes(tmp.resolve("by-kharden").resolve(name))).as(name).isEqualTo(want);
            Manifest.Entry e = sealed.manifest().entries().stream().filter(x -> x.name().equals(name)).findFirst().orElseThrow();
            assertThat(e.size()).isEqualTo(want.length);
            assertThat(e.sha256()).as(name).isEqualTo(java.util.HexFormat.of().formatHex(sha.digest(want)));
        }
    }
}
