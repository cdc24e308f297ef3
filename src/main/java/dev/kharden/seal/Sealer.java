package dev.kharden.seal;

import dev.kharden.age.Age;
import dev.kharden.age.Recipient;
import dev.kharden.files.ByteSize;
import dev.kharden.files.CreateFailure;
import dev.kharden.files.ExitCleanup;
import dev.kharden.files.Preallocation;
import dev.kharden.files.PrivateTemp;
import dev.kharden.input.InputException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.PrivateKey;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * Collects a machine's diagnostics and seals them into one bundle. Security invariants: the
 * plaintext exists only in memory on its way into the age stream, never on disk; the bundle is
 * written to a 0600 temporary file beside the target and renamed into place only once complete, so
 * a failure leaves no partial bundle; memory stays flat however large the extra files are (they
 * stream). The collectors run on a thread of their own while the extra files stream, each into
 * memory (the /proc and /sys files and the audit report, a few MB on a distribution kernel, most of
 * it kallsyms), and their entries follow the extra files in the tar. The bundle is not fsynced
 * (age and tar do not sync either; the sync cost as much as a third of the seal): after a power
 * cut the renamed bundle may be empty or cut short, which unseal refuses as truncated or
 * unauthenticated, and sealing again repairs it.
 */
public final class Sealer {
    /**
     * What to seal. {@code collectors} run in order; {@code extraFiles} are added as extra/NAME.
     * {@code signingKey} may be null (no MANIFEST.sig).
     */
    public record Options(Machine machine, List<Collector> collectors, List<Path> extraFiles,
            List<? extends Recipient> recipients, PrivateKey signingKey, Path output, boolean replace, String generator) {
    }

    /** The sealed bundle: where it is, its manifest, how many plaintext bytes it carries. */
    public record Result(Path output, Manifest manifest, long plaintextBytes) {
    }

    private Sealer() {
    }

    /** The id of the collector that puts kharden's own audit report into a bundle. */
    public static final String AUDIT_ID = "audit";

    /**
     * The standard collectors, with {@code more} from other packages (the audit report, which the
     * command line passes in: seal does not depend on the audit). kallsyms comes last: the kernel
     * takes tens of milliseconds to generate it, and it is read ahead while the others run.
     */
    public static List<Collector> standardCollectors(List<Path> kernelLogs, List<? extends Collector> more) {
        List<Collector> out = new ArrayList<>(List.of(new KernelCollector(), new ModulesCollector(),
                new KernelLogCollector(kernelLogs)));
        out.addAll(more);
        out.add(new KallsymsCollector());
        return out;
    }

    /**
     * Runs the collectors in order, each into memory; a collector that fails leaves what it handed
     * over before, and a note that says why it stopped.
     */
    private static List<Collected> collect(Machine machine, List<Collector> collectors) {
        List<Collected> out = new ArrayList<>();
        for (Collector c : collectors) {
            Collected r = new Collected(c.id());
            try {
                c.collect(machine, r);
            } catch (IOException | RuntimeException e) {
                r.note(c.id() + ": collection failed: " + e.getMessage());
            }
            out.add(r);
        }
        return out;
    }

    private static List<Collected> await(FutureTask<List<Collected>> collected) throws IOException {
        try {
            return collected.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while collecting");
        } catch (ExecutionException e) {
            throw Failures.io(e.getCause());
        }
    }

    /** One step of a collector's output, done to the bundle once the extra files are in. */
    private interface Step {
        void to(BundleWriter w) throws IOException;
    }

    /** A collector's entries, facts and notes, in the order it handed them over. */
    private static final class Collected implements Collector.Sink {
        final String id;
        private final List<Step> steps = new ArrayList<>();

        Collected(String id) {
            this.id = id;
        }

        @Override
        public void add(String name, byte[] data, String source) {
            steps.add(w -> w.add(name, data, source));
        }

        @Override
        public void addFile(String name, Path file) {
            steps.add(w -> w.addFile(name, file)); // streamed from disk then, like the extra files
        }

        @Override
        public void fact(String key, String value) {
            steps.add(w -> w.fact(key, value));
        }

        @Override
        public void note(String text) {
            steps.add(w -> w.note(text));
        }

        /** Writes it all into the bundle, under this collector's id. */
        void replay(BundleWriter w) throws IOException {
            w.collector(id);
            for (Step s : steps) {
                try {
                    s.to(w);
                } catch (IOException | RuntimeException e) {
                    if (w.inEntry()) {
                        throw e; // half an entry is in the stream: the bundle cannot be finished
                    }
                    w.note(id + ": collection failed: " + e.getMessage()); // e.g. an entry name used twice
                    return;
                }
            }
        }
    }

    public static Result seal(Options o) {
        return seal(o, ByteProgress.NONE);
    }

    /** A file name as an entry name: each character unseal refuses in names made '_'. */
    static String entryName(String fileName) {
        StringBuilder b = new StringBuilder(fileName.length());
        for (int i = 0; i < fileName.length(); i++) {
            char c = fileName.charAt(i);
            b.append(BundleReader.refusedInName(c) ? '_' : c);
        }
        return b.toString();
    }

    /**
     * Refuses, before anything is read or written, a bundle that cannot fit: it is at least as long
     * as its extra files (ciphertext does not compress), and no user can write more than the
     * filesystem's unallocated space. A vmcore sealed onto a nearly full disk fails at once, not
     * after minutes of work. Where the free space cannot be read, the writes find out as before.
     */
    private static void refuseWhatCannotFit(Path dir, long bytes, Path output) {
        java.nio.file.FileStore store;
        long unallocated;
        try {
            store = Files.getFileStore(dir);
            unallocated = store.getUnallocatedSpace();
        } catch (IOException | RuntimeException e) {
            return; // no such folder, say: creating the bundle reports that
        }
        if (bytes > unallocated) {
            long available; // what df(1) calls Avail: the space left to users other than root's reserve
            try {
                available = store.getUsableSpace();
            } catch (IOException | RuntimeException e) {
                available = unallocated;
            }
            throw InputException.ofFile(output.toString(), "not enough space for the bundle: its extra files alone take "
                    + ByteSize.human(bytes) + ", and the filesystem of " + dir + " has " + ByteSize.human(available) + " available");
        }
    }

    /** As {@link #seal(Options)}, reporting the extra files' bytes as they are sealed. */
    public static Result seal(Options o, ByteProgress progress) {
        Path out = o.output().toAbsolutePath().normalize();
        if (!o.replace() && Files.exists(out, LinkOption.NOFOLLOW_LINKS)) {
            throw InputException.ofFile(o.output().toString(), "already exists (use --force to replace it)");
        }
        if (Files.exists(out, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(out, LinkOption.NOFOLLOW_LINKS)) {
            // --force replaces a bundle, never a link, a device such as /dev/null, or a folder
            throw InputException.ofFile(o.output().toString(), "is not a regular file (a link, a device or a folder); "
                    + "refusing to replace it with a bundle (use -o - to write to standard output)");
        }
        long total = extraBytes(o);
        Path dir = out.getParent();
        refuseWhatCannotFit(dir, total, o.output());
        FutureTask<List<Collected>> collected = startCollecting(o);
        Path tmp;
        try {
            tmp = PrivateTemp.create(dir, PrivateTemp.prefixFor(out), ".partial");
        } catch (IOException e) {
            throw InputException.ofFile(o.output().toString(), "cannot create it: " + CreateFailure.reason(dir, e));
        }
        boolean done = false;
        Path partial = tmp;
        ExitCleanup cleanup = ExitCleanup.register("seal", () -> {
            try {
                Files.deleteIfExists(partial);
            } catch (IOException e) {
                // the temporary file is 0600 and holds only ciphertext
            }
        });
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            // The extra files' bytes are a lower bound of the bundle's size: every reserved block gets written.
            Preallocation.reserve(tmp, total);
            Result r = write(o, ch, collected, total, progress, out);
            Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            done = true;
            return r;
        } catch (IOException e) {
            throw InputException.ofFile(o.output().toString(), "sealing failed: " + e.getMessage());
        } finally {
            if (!done) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // the temporary file is 0600 and holds only ciphertext
                }
            }
            cleanup.close();
        }
    }

    /**
     * As {@link #seal(Options, ByteProgress)}, streaming the bundle into {@code sink} (standard
     * output, a pipe) instead of a file: nothing to rename, so a seal that fails leaves what it wrote
     * so far, a stream without its authenticated final chunk that every reader refuses. {@code sink}
     * is not closed; messages call it {@code name}. {@link Options#output()} and
     * {@link Options#replace()} are not used.
     */
    public static Result sealTo(Options o, WritableByteChannel sink, String name, ByteProgress progress) {
        long total = extraBytes(o);
        FutureTask<List<Collected>> collected = startCollecting(o);
        try {
            return write(o, new KeptOpen(sink), collected, total, progress, o.output());
        } catch (IOException e) {
            throw InputException.ofFile(name, "sealing failed: " + e.getMessage());
        }
    }

    /** A channel whose close leaves the underlying one open (the age writer closes what it writes to). */
    private record KeptOpen(WritableByteChannel to) implements WritableByteChannel {
        @Override
        public int write(java.nio.ByteBuffer src) throws IOException {
            return to.write(src);
        }

        @Override
        public boolean isOpen() {
            return to.isOpen();
        }

        @Override
        public void close() {
            // the caller's
        }
    }

    /** The extra files' total size, each checked to be a readable regular file. */
    private static long extraBytes(Options o) {
        long total = 0;
        for (Path f : o.extraFiles()) {
            if (!Files.isRegularFile(f) || !Files.isReadable(f)) {
                throw InputException.ofFile(f.toString(), "not a readable regular file");
            }
            try {
                total += Files.size(f);
            } catch (IOException e) {
                throw InputException.ofFile(f.toString(), "cannot read its size: " + e.getMessage());
            }
        }
        return total;
    }

    /**
     * Starts the collectors on a thread of their own, into memory, while the bundle is created and
     * the extra files stream; their entries follow the extra files.
     */
    private static FutureTask<List<Collected>> startCollecting(Options o) {
        for (Collector c : o.collectors()) {
            c.slowFiles().forEach(o.machine()::prefetch);
        }
        FutureTask<List<Collected>> collected = new FutureTask<>(() -> collect(o.machine(), o.collectors()));
        Thread.ofPlatform().daemon().name("kharden-collect").start(collected);
        return collected;
    }

    /** Writes the whole bundle into {@code ch}: the extra files, the collectors' entries, the manifest. */
    private static Result write(Options o, WritableByteChannel ch, FutureTask<List<Collected>> collected, long total,
            ByteProgress progress, Path output) throws IOException {
        BundleWriter w = new BundleWriter(Age.encrypt(ch, o.recipients()), Instant.now().truncatedTo(ChronoUnit.SECONDS));
        w.collector("extra");
        w.progress(progress, total);
        Set<String> used = new HashSet<>();
        for (Path f : o.extraFiles()) {
            String base = entryName(f.getFileName().toString());
            if (!base.equals(f.getFileName().toString())) {
                w.note("extra: " + f + " is sealed as extra/" + base
                        + " (unseal refuses backslashes and control characters in names)");
            }
            String name = "extra/" + base;
            for (int i = 2; !used.add(name); i++) {
                name = "extra/" + i + "-" + base;
            }
            if (Files.size(f) == 0) {
                // procfs and sysfs files say size 0 and still have content: read them to their end
                w.add(name, Machine.readBounded(f), f.toString());
            } else {
                w.addFile(name, f, f.toString());
            }
        }
        boolean audit = false;
        for (Collected c : await(collected)) {
            audit |= c.id.equals(AUDIT_ID);
            c.replay(w);
        }
        if (!audit) {
            w.collector(AUDIT_ID);
            w.note("audit: no audit collector in this kharden build; no hardening report included");
        }
        Manifest m = w.finish(o.generator(), o.signingKey());
        return new Result(output, m, w.bytes());
    }
}
