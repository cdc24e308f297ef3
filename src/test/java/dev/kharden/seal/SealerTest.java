package dev.kharden.seal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kharden.age.Age;
import dev.kharden.age.Identity;
import dev.kharden.age.X25519Identity;
import dev.kharden.input.InputException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.util.List;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Seal from a fake machine tree, then unseal: content, manifest, notes, and every refusal. */
class SealerTest {
    private static final X25519Identity SUPPORT = X25519Identity.generate();

    @TempDir
    Path tmp;

    private Sealer.Result seal(Path root, Path out, KeyPair signer, Path... extra) {
        return Sealer.seal(new Sealer.Options(new Machine(root), Sealer.standardCollectors(List.of(), List.of(new dev.kharden.report.AuditCollector())), List.of(extra),
                List.of(SUPPORT.recipient()), signer == null ? null : signer.getPrivate(), out, false, "kharden test"));
    }

    private static List<String> listing(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** Sealing reports the extra files' bytes, unsealing the bundle's: growing, and ending at the total. */
    @Test
    void progressGrowsToTheTotalBothWays() throws IOException {
        Path root = FakeMachine.create(tmp.resolve("root"), false);
        byte[] big = new byte[3 * 1024 * 1024 + 5];
        new java.util.Random(3).nextBytes(big);
        Path a = Files.write(tmp.resolve("a.bin"), big);
        Path b = Files.writeString(tmp.resolve("b.txt"), "small\n");
        Path bundle = tmp.resolve("p.age");
        List<long[]> sealing = new java.util.ArrayList<>();
        Sealer.seal(new Sealer.Options(new Machine(root), Sealer.standardCollectors(List.of(), List.of(new dev.kharden.report.AuditCollector())), List.of(a, b),
                List.of(SUPPORT.recipient()), null, bundle, false, "kharden test"), (done, total) -> sealing.add(new long[] {done, total}));
        long extras = big.length + 6;
        assertThat(sealing).hasSizeGreaterThan(3).allSatisfy(u -> assertThat(u[1]).isEqualTo(extras));
        assertThat(sealing.getLast()[0]).isEqualTo(extras);
        assertThat(sealing).extracting(u -> u[0]).isSorted();

        List<long[]> unsealing = new java.util.ArrayList<>();
        Unsealer.unseal(bundle, List.of(SUPPORT), tmp.resolve("p"), v -> { }, (done, total) -> unsealing.add(new long[] {done, total}));
        long size = Files.size(bundle);
        assertThat(unsealing).hasSizeGreaterThan(3).allSatisfy(u -> assertThat(u[1]).isEqualTo(size));
        assertThat(unsealing.getLast()[0]).isEqualTo(size);
        assertThat(unsealing).extracting(u -> u[0]).isSorted();
        assertThat(Files.readAllBytes(tmp.resolve("p/extra/a.bin"))).isEqualTo(big);
    }

    @Test
    void sealsTheMachineAndUnsealsItIntact() throws IOException {
        Path root = FakeMachine.create(tmp.resolve("root"), false);
        Path extra = Files.writeString(tmp.resolve("notes.txt"), "customer notes\n");
        Path bundle = tmp.resolve("out/crash.age");
        Files.createDirectories(bundle.getParent());
        Sealer.Result r = seal(root, bundle, null, extra);

        assertThat(Files.getPosixFilePermissions(bundle)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(listing(bundle.getParent())).containsExactly("crash.age"); // no temporary left
        Manifest m = r.manifest();
        assertThat(m.schema()).isEqualTo(Manifest.SCHEMA);
        assertThat(m.entries()).extracting(Manifest.Entry::name).contains(Bundle.KALLSYMS, Bundle.MODULES,
                Bundle.SECTIONS, Bundle.VERSION, Bundle.OOPS, "proc/cmdline", "proc/config.gz", "sys/kernel/notes", "extra/notes.txt");
        assertThat(m.facts()).containsEntry("kernel.buildId", FakeMachine.BUILD_ID).containsEntry("kernel.release", "6.1.0-test")
                .containsEntry("kallsyms.values", "real").containsEntry("kernelLog.reports", "1");
        // kharden's own audit of the machine rides along (profile server, as `kharden check` there)
        assertThat(m.entries()).extracting(Manifest.Entry::name).contains("audit/report.json");
        assertThat(m.facts()).containsEntry("audit.profile", "server").containsKeys("audit.fail", "audit.pass");
        assertThat(m.notes()).noneMatch(n -> n.contains("no audit collector"));

        Bundle b = BundleReader.open(bundle, List.of(SUPPORT));
        assertThat(new String(b.entry(Bundle.KALLSYMS).orElseThrow(), StandardCharsets.US_ASCII)).contains("ffffffff81001000 T start_kernel");
        assertThat(new String(b.entry(Bundle.SECTIONS).orElseThrow(), StandardCharsets.US_ASCII))
                .contains("ext4 .text 0xffffffffc0a00000").contains("ext4 .data 0xffffffffc0a40000");
        assertThat(new String(b.entry(Bundle.OOPS).orElseThrow(), StandardCharsets.UTF_8))
                .contains("WARNING: CPU: 0 PID: 1").contains("cut here").doesNotContain("eth0: link up").doesNotContain("SUBSYSTEM");

        com.fasterxml.jackson.databind.JsonNode audit = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(b.entry("audit/report.json").orElseThrow());
        assertThat(audit.get("schema").asText()).isEqualTo("kharden-report/1");
        com.fasterxml.jackson.databind.JsonNode report = audit.get("reports").get(0);
        assertThat(report.get("profile").asText()).isEqualTo("server");
        assertThat(report.get("inputs").get("config").asText()).endsWith("proc/config.gz");
        assertThat(report.get("findings").size()).isGreaterThan(100);
        assertThat(m.facts().get("audit.fail")).isEqualTo(Long.toString(java.util.stream.StreamSupport
                .stream(report.get("findings").spliterator(), false).filter(f -> f.get("verdict").asText().equals("fail")).count()));

        Path dir = tmp.resolve("unsealed");
        BundleReader.Verified v = Unsealer.unseal(bundle, List.of(SUPPORT), dir);
        assertThat(v.manifest()).isEqualTo(Manifest.parse(Files.readAllBytes(dir.resolve(Manifest.NAME))));
        assertThat(Files.readString(dir.resolve("extra/notes.txt"))).isEqualTo("customer notes\n");
        assertThat(Files.readAllBytes(dir.resolve("proc/kallsyms"))).isEqualTo(Files.readAllBytes(root.resolve("proc/kallsyms")));
        assertThat(Files.getPosixFilePermissions(dir.resolve("proc/kallsyms"))).isEqualTo(PosixFilePermissions.fromString("rw-------"));
    }

    /** A collector for the test below: adds {@code names}, a fact and a note, then fails if {@code failure} is set. */
    private record Scripted(String id, List<String> names, String failure, List<Thread> ranOn) implements Collector {
        @Override
        public void collect(Machine machine, Sink sink) throws IOException {
            ranOn.add(Thread.currentThread());
            for (String n : names) {
                sink.add(n, n.getBytes(StandardCharsets.UTF_8), "test");
            }
            sink.fact(id + ".fact", "1");
            sink.note(id + " note");
            if (failure != null) {
                throw new IOException(failure);
            }
        }
    }

    /**
     * The collectors run on a thread of their own; their entries follow the extra files, in collector
     * order, and their facts and notes keep that order. A collector that fails keeps what it handed
     * over, and an entry name used twice is a note, not a lost bundle.
     */
    @Test
    void collectorsRunBesideTheExtraFilesAndTheirEntriesFollowThem() throws IOException {
        List<Thread> ranOn = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        List<Collector> collectors = List.of(
                new Scripted("first", List.of("a/one", "a/two"), null, ranOn),
                new Scripted("failing", List.of("b/one"), "the device went away", ranOn),
                new Scripted("twice", List.of("a/one", "c/never"), null, ranOn));
        Path extra = Files.writeString(tmp.resolve("notes.txt"), "customer notes\n");
        Path bundle = tmp.resolve("order.age");
        Sealer.Result r = Sealer.seal(new Sealer.Options(new Machine(tmp.resolve("nothing")), collectors, List.of(extra),
                List.of(SUPPORT.recipient()), null, bundle, false, "kharden test"));
        assertThat(ranOn).hasSize(3).doesNotContain(Thread.currentThread());
        assertThat(r.manifest().entries()).extracting(Manifest.Entry::name)
                .containsExactly("extra/notes.txt", "a/one", "a/two", "b/one");
        assertThat(r.manifest().entries()).extracting(Manifest.Entry::collector)
                .containsExactly("extra", "first", "first", "failing");
        assertThat(r.manifest().facts().keySet()).containsExactly("first.fact", "failing.fact");
        assertThat(r.manifest().notes()).containsExactly("first note", "failing note",
                "failing: collection failed: the device went away",
                "twice: collection failed: duplicate bundle entry a/one",
                "audit: no audit collector in this kharden build; no hardening report included");
        Bundle b = BundleReader.open(bundle, List.of(SUPPORT));
        assertThat(b.entry("b/one")).hasValue("b/one".getBytes(StandardCharsets.UTF_8));
        assertThat(b.entry("c/never")).isEmpty();
    }

    @Test
    void saysWhyAddressesAreZeros() throws IOException {
        Path root = FakeMachine.create(tmp.resolve("root"), true);
        Manifest m = seal(root, tmp.resolve("b.age"), null).manifest();
        assertThat(m.facts()).containsEntry("kallsyms.values", "zeros");
        assertThat(m.notes()).anyMatch(n -> n.startsWith("kallsyms: every address reads as zero") && n.contains("kptr_restrict=2"));
        assertThat(m.notes()).anyMatch(n -> n.startsWith("modules: load addresses read as zero"));
        assertThat(m.notes()).anyMatch(n -> n.startsWith("modules: section addresses read as zero"));
    }

    @Test
    void linksInARootFolderNeverReachTheFilesOfTheMachineSealing() throws IOException {
        Path root = FakeMachine.create(tmp.resolve("root"), false);
        Files.delete(root.resolve("proc/cmdline"));
        Files.createSymbolicLink(root.resolve("proc/cmdline"), Path.of("/etc/passwd"));
        Files.createDirectories(root.resolve("etc"));
        Files.writeString(root.resolve("etc/passwd"), "quiet the-image's-own\n");
        Path bundle = tmp.resolve("l.age");
        seal(root, bundle, null);
        Bundle b = BundleReader.open(bundle, List.of(SUPPORT));
        assertThat(new String(b.entry("proc/cmdline").orElseThrow(), StandardCharsets.UTF_8)).isEqualTo("quiet the-image's-own\n");
    }

    @Test
    void anExtraFileThatSaysSizeZeroIsReadToItsEnd() throws IOException {
        Path proc = Path.of("/proc/self/status"); // procfs: size 0, content all the same
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(proc) && Files.size(proc) == 0, "no procfs here");
        Path root = FakeMachine.create(tmp.resolve("root"), false);
        Path bundle = tmp.resolve("p.age");
        Manifest m = seal(root, bundle, null, proc).manifest();
        byte[] sealed = BundleReader.open(bundle, List.of(SUPPORT)).entry("extra/status").orElseThrow();
        assertThat(new String(sealed, StandardCharsets.UTF_8)).startsWith("Name:");
        assertThat(m.entries()).filteredOn(e -> e.name().equals("extra/status")).singleElement()
                .satisfies(e -> assertThat(e.size()).isEqualTo(sealed.length));
    }

    @Test
    void auditNotesNameTheFileTheyAreAbout() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Manifest m = seal(empty, tmp.resolve("e.age"), null).manifest();
        assertThat(m.notes()).anyMatch(n -> n.startsWith("audit: " + empty.resolve("proc/cmdline") + ": ")
                && n.endsWith("boot-parameter checks are unknown"));
        assertThat(m.notes()).anyMatch(n -> n.startsWith("audit: " + empty.resolve("proc/sys") + ": not found"));
    }

    @Test
    void missingCapSyslogIsNamed() throws IOException {
        Path root = FakeMachine.create(tmp.resolve("root"), true);
        FakeMachine.write(root, "proc/sys/kernel/kptr_restrict", "1\n");
        assertThat(AddressVisibility.whyHidden(new Machine(root))).contains("lacks CAP_SYSLOG").contains("run kharden seal as root");
    }

    @Test
    void signedManifestNamesTheMachine() throws IOException {
        Path root = FakeMachine.create(tmp.resolve("root"), false);
        KeyPair machineKey = ManifestSignature.generate();
        Path bundle = tmp.resolve("b.age");
        seal(root, bundle, machineKey);
        BundleReader.Verified v = BundleReader.decryptAndScan(bundle, List.of(SUPPORT), (n, s) -> null);
        assertThat(v.signature()).isEqualTo(BundleReader.SignatureState.VALID);
        assertThat(v.signerKey()).isEqualTo(ManifestSignature.raw(machineKey.getPublic()));
    }

    /** An extra file larger than the free space (sparse: it takes none) is refused before anything starts. */
    @Test
    void aBundleThatCannotFitIsRefusedAtOnce() throws IOException {
        Path root = FakeMachine.create(tmp.resolve("root"), false);
        long free = Files.getFileStore(tmp).getUnallocatedSpace();
        Path sparse = tmp.resolve("vmcore");
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(sparse.toFile(), "rw")) {
            f.setLength(free + (1L << 30));
        } catch (IOException e) {
            org.junit.jupiter.api.Assumptions.abort("this filesystem holds no sparse file past its free space: " + e.getMessage());
        }
        Path bundle = tmp.resolve("b.age");
        assertThatThrownBy(() -> seal(root, bundle, null, sparse)).isInstanceOf(InputException.class)
                .hasMessageContaining("not enough space for the bundle: its extra files alone take ")
                .hasMessageContaining(" available");
        assertThat(listing(tmp)).containsExactlyInAnyOrder("root", "vmcore"); // no bundle, no temporary file
    }

    /** Streamed into a channel (standard output, a pipe): the same bundle, and the channel is left open. */
    @Test
    void sealsIntoAChannelItLeavesOpen() throws IOException {
        Path root = FakeMachine.create(tmp.resolve("root"), false);
        Path extra = Files.write(tmp.resolve("vmcore"), new byte[200_000]);
        java.io.ByteArrayOutputStream sink = new java.io.ByteArrayOutputStream();
        java.nio.channels.WritableByteChannel ch = java.nio.channels.Channels.newChannel(sink);
        Sealer.Result r = Sealer.sealTo(new Sealer.Options(new Machine(root), Sealer.standardCollectors(List.of(),
                List.of(new dev.kharden.report.AuditCollector())), List.of(extra), List.of(SUPPORT.recipient()), null,
                tmp.resolve("unused"), false, "kharden test"), ch, "standard output", ByteProgress.NONE);
        assertThat(ch.isOpen()).isTrue();
        assertThat(listing(tmp)).containsExactlyInAnyOrder("root", "vmcore"); // no file of its own
        Path bundle = Files.write(tmp.resolve("streamed.age"), sink.toByteArray());
        BundleReader.Verified v = Unsealer.unseal(bundle, List.of(SUPPORT), tmp.resolve("out"));
        assertThat(v.manifest().entries()).extracting(Manifest.Entry::name).contains("extra/vmcore", "audit/report.json", "proc/modules");
        assertThat(Files.readAllBytes(tmp.resolve("out/extra/vmcore"))).isEqualTo(new byte[200_000]);
        assertThat(r.manifest().entries()).hasSameSizeAs(v.manifest().entries());
    }

    @Test
    void refusesToOverwriteAnExistingBundle() throws IOException {
        Path root = FakeMachine.create(tmp.resolve("root"), false);
        Path bundle = Files.writeString(tmp.resolve("b.age"), "keep me");
        assertThatThrownBy(() -> seal(root, bundle, null)).isInstanceOf(InputException.class).hasMessageContaining("already exists");
        assertThat(Files.readString(bundle)).isEqualTo("keep me");
    }

    @Test
    void forceReplacesABundleButNeverALinkOrADevice() throws IOException {
        Path root = FakeMachine.create(tmp.resolve("root"), false);
        Path kept = Files.writeString(tmp.resolve("kept.txt"), "keep me");
        Path link = Files.createSymbolicLink(tmp.resolve("link.age"), kept);
        Path toNull = Files.createSymbolicLink(tmp.resolve("null.age"), Path.of("/dev/null"));
        for (Path target : List.of(link, toNull)) {
            assertThatThrownBy(() -> Sealer.seal(new Sealer.Options(new Machine(root), Sealer.standardCollectors(List.of(), List.of(new dev.kharden.report.AuditCollector())),
                    List.of(), List.of(SUPPORT.recipient()), null, target, true, "kharden test")))
                    .isInstanceOf(InputException.class).hasMessageContaining("is not a regular file");
            assertThat(Files.isSymbolicLink(target)).isTrue();
        }
        assertThat(Files.readString(kept)).isEqualTo("keep me");
        Path bundle = Files.writeString(tmp.resolve("old.age"), "an old bundle");
        Sealer.seal(new Sealer.Options(new Machine(root), Sealer.standardCollectors(List.of(), List.of(new dev.kharden.report.AuditCollector())), List.of(),
                List.of(SUPPORT.recipient()), null, bundle, true, "kharden test"));
        assertThat(Files.size(bundle)).isGreaterThan(100);
    }

    @Test
    void wrongKeyTamperingAndTruncationLeaveNothingBehind() throws IOException {
        Path root = FakeMachine.create(tmp.resolve("root"), false);
        Path bundle = tmp.resolve("in/b.age");
        Files.createDirectories(bundle.getParent());
        seal(root, bundle, null);
        byte[] good = Files.readAllBytes(bundle);
        Path outParent = Files.createDirectories(tmp.resolve("outs"));

        assertThatThrownBy(() -> Unsealer.unseal(bundle, List.of(X25519Identity.generate()), outParent.resolve("a")))
                .isInstanceOf(InputException.class).hasMessageContaining("no identity matches");

        byte[] tampered = good.clone();
        tampered[tampered.length / 2] ^= 0x40;
        Path t = Files.write(tmp.resolve("in/t.age"), tampered);
        assertThatThrownBy(() -> Unsealer.unseal(t, List.of(SUPPORT), outParent.resolve("b")))
                .isInstanceOf(InputException.class).hasMessageContaining("payload authentication failed");

        Path cut = Files.write(tmp.resolve("in/c.age"), java.util.Arrays.copyOf(good, good.length - 100));
        assertThatThrownBy(() -> Unsealer.unseal(cut, List.of(SUPPORT), outParent.resolve("c")))
                .isInstanceOf(InputException.class).hasMessageContaining("payload authentication failed");

        assertThat(listing(outParent)).isEmpty();
    }

    /** A tar with one hostile entry, age-encrypted to SUPPORT. */
    private Path hostile(String name, char type) throws IOException {
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(plain)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            TarArchiveEntry ok = new TarArchiveEntry("fine.txt");
            ok.setSize(2);
            tar.putArchiveEntry(ok);
            tar.write("ok".getBytes(StandardCharsets.US_ASCII));
            tar.closeArchiveEntry();
            TarArchiveEntry e = switch (type) {
                case 'l' -> new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
                case 'p' -> new TarArchiveEntry(name, TarArchiveEntry.LF_FIFO);
                case 'c' -> new TarArchiveEntry(name, TarArchiveEntry.LF_CHR);
                default -> new TarArchiveEntry(name, true);
            };
            if (type == 'l') {
                e.setLinkName("/etc/passwd");
            } else if (type == 'f') {
                e.setSize(4);
            }
            tar.putArchiveEntry(e);
            if (type == 'f') {
                tar.write("evil".getBytes(StandardCharsets.US_ASCII));
            }
            tar.closeArchiveEntry();
        }
        Path f = tmp.resolve("hostile-" + Integer.toHexString(name.hashCode()) + type + ".age");
        try (OutputStream out = Age.encrypt(Files.newOutputStream(f), List.of(SUPPORT.recipient()))) {
            out.write(plain.toByteArray());
        }
        return f;
    }

    @Test
    void entriesThatWouldEscapeAreRefused() throws IOException {
        Path outParent = Files.createDirectories(tmp.resolve("outs"));
        List<Identity> ids = List.of(SUPPORT);
        for (String name : List.of("../evil", "a/../../evil", "/etc/cron.d/evil", "a//b", "./x")) {
            Path bundle = hostile(name, 'f');
            assertThatThrownBy(() -> Unsealer.unseal(bundle, ids, outParent.resolve("x")))
                    .as(name).isInstanceOf(InputException.class).hasMessageContaining("refused");
        }
        for (char special : new char[] {'l', 'p', 'c'}) {
            Path bundle = hostile("passwd", special);
            assertThatThrownBy(() -> Unsealer.unseal(bundle, ids, outParent.resolve("x")))
                    .as("type " + special).isInstanceOf(InputException.class).hasMessageContaining("link or special file");
        }
        assertThat(listing(outParent)).isEmpty();
        assertThat(Files.exists(tmp.resolve("evil"))).isFalse();
    }

    @Test
    void aNameThatIsBothAFileAndAFolderIsRefusedByName() throws IOException {
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(plain)) {
            for (String name : List.of("d", "d/x")) {
                TarArchiveEntry e = new TarArchiveEntry(name);
                e.setSize(1);
                tar.putArchiveEntry(e);
                tar.write('x');
                tar.closeArchiveEntry();
            }
        }
        Path bundle = tmp.resolve("both.age");
        try (OutputStream out = Age.encrypt(Files.newOutputStream(bundle), List.of(SUPPORT.recipient()))) {
            out.write(plain.toByteArray());
        }
        assertThatThrownBy(() -> Unsealer.unseal(bundle, List.of(SUPPORT), tmp.resolve("out")))
                .isInstanceOf(InputException.class).hasMessageContaining("entry d/x is both a file and a folder")
                .hasMessageNotContaining(".unseal-");
        assertThat(Files.exists(tmp.resolve("out"))).isFalse();
    }

    @Test
    void aPayloadThatIsNoTarIsRefusedNotUnpackedAsEmpty() throws IOException {
        Path hello = tmp.resolve("hello.age");
        try (OutputStream out = Age.encrypt(Files.newOutputStream(hello), List.of(SUPPORT.recipient()))) {
            out.write("hello\n".getBytes(StandardCharsets.US_ASCII));
        }
        assertThatThrownBy(() -> Unsealer.unseal(hello, List.of(SUPPORT), tmp.resolve("h")))
                .isInstanceOf(InputException.class).hasMessageContaining("not a tar stream");
        assertThat(Files.exists(tmp.resolve("h"))).isFalse();
        // an empty archive (its end blocks only) is a valid, empty tar
        Path empty = tmp.resolve("empty.age");
        try (OutputStream out = Age.encrypt(Files.newOutputStream(empty), List.of(SUPPORT.recipient()))) {
            out.write(new byte[1024]);
        }
        assertThat(Unsealer.unseal(empty, List.of(SUPPORT), tmp.resolve("e")).files()).isEmpty();
    }

    /**
     * An entry's size comes from whoever sealed the bundle: unseal reserves disk space for it, but
     * never more than the bundle itself holds, so a header claiming 8 GiB in a 2 MiB bundle cannot
     * make an unseal fill the disk. Watched while the entry is being written (the progress callback
     * runs between reads of the bundle).
     */
    @Test
    void aCraftedSizeReservesNoMoreThanTheBundleHolds() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(dev.kharden.crypto.JniCrypto.bridgeLoaded(), "no JNI bridge: nothing is reserved");
        Path bundle = tmp.resolve("liar.age");
        try (OutputStream out = Age.encrypt(Files.newOutputStream(bundle), List.of(SUPPORT.recipient()))) {
            out.write(TarHeader.file("big", 8L << 30, 0));
            out.write(new byte[2 << 20]); // and then the stream ends, 8 GiB short
        }
        long bundleBytes = Files.size(bundle);
        java.util.List<Long> seen = new java.util.ArrayList<>();
        assertThatThrownBy(() -> Unsealer.unseal(bundle, List.of(SUPPORT), tmp.resolve("out"), v -> {
        }, (done, total) -> {
            try (Stream<Path> s = Files.find(tmp, 3, (p, a) -> p.getFileName().toString().equals("big"))) {
                for (Path big : s.toList()) {
                    Process stat = new ProcessBuilder("stat", "-c", "%b", big.toString()).start();
                    String blocks = new String(stat.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
                    if (stat.waitFor() == 0) {
                        seen.add(Long.parseLong(blocks) * 512);
                    }
                }
            } catch (IOException | InterruptedException e) {
                throw new AssertionError(e);
            }
        })).isInstanceOf(InputException.class);
        assertThat(seen).as("the entry was watched while it was written").isNotEmpty();
        assertThat(seen).allMatch(bytes -> bytes <= bundleBytes + (1 << 20), "at most the bundle's size, not 8 GiB");
        assertThat(listing(tmp)).containsExactly("liar.age"); // and nothing left behind
    }

    @Test
    void aForeignTarIsUnpackedWithoutManifest() throws IOException {
        Path bundle = hostile("dir/plain.txt", 'f');
        BundleReader.Verified v = Unsealer.unseal(bundle, List.of(SUPPORT), tmp.resolve("x"));
        assertThat(v.manifest()).isNull();
        assertThat(Files.readString(tmp.resolve("x/dir/plain.txt"))).isEqualTo("evil");
    }
}
