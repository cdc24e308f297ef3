package dev.kharden.seal;

import dev.kharden.age.Age;
import dev.kharden.age.Recipient;
import dev.kharden.files.CreateFailure;
import dev.kharden.files.ExitCleanup;
import dev.kharden.input.InputException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.PrivateKey;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Collects a machine's diagnostics and seals them into one bundle. Security invariants: the
 * plaintext exists only in memory on its way into the age stream, never on disk; the bundle is
 * written to a 0600 temporary file beside the target and renamed into place only once complete, so
 * a failure leaves no partial bundle; memory stays flat (entries stream, the largest buffer is one
 * /proc file). The bundle is not fsynced (age and tar do not sync either; the sync cost as much as
 * a third of the seal): after a power cut the renamed bundle may be empty or cut short, which
 * unseal refuses as truncated or unauthenticated, and sealing again repairs it.
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

    public static Result seal(Options o) {
        return seal(o, ByteProgress.NONE);
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
                    + "refusing to replace it with a bundle");
        }
        for (Path f : o.extraFiles()) {
            if (!Files.isRegularFile(f) || !Files.isReadable(f)) {
                throw InputException.ofFile(f.toString(), "not a readable regular file");
            }
        }
        Path dir = out.getParent();
        Path tmp;
        try {
            tmp = Files.createTempFile(dir, "." + out.getFileName() + ".", ".partial",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (IOException e) {
            throw InputException.ofFile(o.output().toString(), "cannot create it: " + CreateFailure.reason(dir, e));
        }
        for (Collector c : o.collectors()) {
            c.slowFiles().forEach(o.machine()::prefetch);
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
            BundleWriter w = new BundleWriter(Age.encrypt(ch, o.recipients()), Instant.now().truncatedTo(ChronoUnit.SECONDS));
            boolean audit = false;
            for (Collector c : o.collectors()) {
                audit |= c.id().equals(AUDIT_ID);
                w.collector(c.id());
                try {
                    c.collect(o.machine(), w);
                } catch (IOException | RuntimeException e) {
                    if (w.inEntry()) {
                        throw e; // half an entry is in the stream: the bundle cannot be finished
                    }
                    w.note(c.id() + ": collection failed: " + e.getMessage());
                }
            }
            if (!audit) {
                w.collector(AUDIT_ID);
                w.note("audit: no audit collector in this kharden build; no hardening report included");
            }
            w.collector("extra");
            long total = 0;
            for (Path f : o.extraFiles()) {
                total += Files.size(f);
            }
            w.progress(progress, total);
            Set<String> used = new HashSet<>();
            for (Path f : o.extraFiles()) {
                String base = f.getFileName().toString();
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
            Manifest m = w.finish(o.generator(), o.signingKey());
            Files.move(tmp, out, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            done = true;
            return new Result(out, m, w.bytes());
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
}
