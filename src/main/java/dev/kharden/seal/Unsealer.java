package dev.kharden.seal;

import dev.kharden.age.Identity;
import dev.kharden.files.CreateFailure;
import dev.kharden.files.ExitCleanup;
import dev.kharden.files.Preallocation;
import dev.kharden.input.InputException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Unpacks a bundle into a new folder, all or nothing: files go to a private (0700) temporary folder
 * beside the target, and only once the whole bundle authenticated and matched its manifest is that
 * folder renamed into place. On any failure the temporary folder is deleted, so a wrong key, a
 * tampered or truncated bundle leaves nothing behind. Files are written 0600: they hold kernel
 * addresses.
 */
public final class Unsealer {
    private Unsealer() {
    }

    /** The size of {@code f} if it is a regular file (not a pipe, say), else 0. */
    private static long regularFileSize(Path f) {
        try {
            return Files.isRegularFile(f) ? Files.size(f) : 0;
        } catch (IOException e) {
            return 0; // reading the bundle reports the problem
        }
    }

    /** Unpacks {@code bundle} into {@code target}, which must not exist yet. */
    public static BundleReader.Verified unseal(Path bundle, List<? extends Identity> identities, Path target) {
        return unseal(bundle, identities, target, v -> {
        });
    }

    /**
     * As {@link #unseal(Path, List, Path)}, with a last check (e.g. the expected signer) that runs
     * after verification and before the folder is moved into place; it aborts by throwing.
     */
    public static BundleReader.Verified unseal(Path bundle, List<? extends Identity> identities, Path target,
            java.util.function.Consumer<BundleReader.Verified> accept) {
        return unseal(bundle, identities, target, accept, ByteProgress.NONE);
    }

    /** As {@link #unseal(Path, List, Path, java.util.function.Consumer)}, reporting the bundle's bytes as they are read. */
    public static BundleReader.Verified unseal(Path bundle, List<? extends Identity> identities, Path target,
            java.util.function.Consumer<BundleReader.Verified> accept, ByteProgress progress) {
        Path abs = target.toAbsolutePath().normalize();
        if (Files.exists(abs, LinkOption.NOFOLLOW_LINKS)) {
            throw InputException.ofFile(target.toString(), "already exists; unseal writes a new folder");
        }
        Path parent = abs.getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw InputException.ofFile(target.toString(), parent != null && Files.exists(parent)
                    ? parent + " is not a folder" : "its parent folder does not exist");
        }
        Path tmp;
        try {
            tmp = Files.createTempDirectory(parent, dev.kharden.files.PrivateTemp.prefixFor(abs) + "unseal-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw InputException.ofFile(target.toString(), "cannot create it: " + CreateFailure.reason(parent, e));
        }
        long bundleBytes = regularFileSize(bundle);
        boolean done = false;
        java.util.concurrent.atomic.AtomicBoolean stopped = new java.util.concurrent.atomic.AtomicBoolean();
        ExitCleanup cleanup = ExitCleanup.register("unseal", () -> {
            stopped.set(true); // no new file after this; one being written is removed on the second pass
            deleteTree(tmp);
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            deleteTree(tmp);
        });
        try {
            BundleReader.Verified v = BundleReader.decryptAndScan(bundle, identities, new BundleReader.EntrySink() {
                @Override
                public OutputStream file(String name, long size) throws IOException {
                    if (stopped.get()) {
                        throw new IOException("stopped");
                    }
                    Path p = inside(tmp, name);
                    try {
                        Files.createDirectories(p.getParent(), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                        OutputStream out = Files.newOutputStream(Files.createFile(p,
                                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))),
                                StandardOpenOption.WRITE);
                        // The size comes from the bundle: never reserve more than the bundle itself holds, so
                        // that a crafted header cannot make an unseal fill the disk (see Preallocation).
                        Preallocation.reserve(p, Math.min(size, bundleBytes));
                        return out;
                    } catch (FileAlreadyExistsException e) {
                        throw bothFileAndFolder(name);
                    }
                }

                @Override
                public void directory(String name) throws IOException {
                    try {
                        Files.createDirectories(inside(tmp, name), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                    } catch (FileAlreadyExistsException e) {
                        throw bothFileAndFolder(name);
                    }
                }
            }, progress);
            accept.accept(v);
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException e) {
                throw InputException.ofFile(target.toString(), "appeared while unsealing; nothing written");
            } catch (IOException e) {
                throw InputException.ofFile(target.toString(), "cannot move the unsealed folder into place: " + e.getMessage());
            }
            done = true;
            return v;
        } catch (UncheckedIOException e) {
            throw InputException.ofFile(bundle.toString(), e.getCause().getMessage());
        } finally {
            if (!done) {
                deleteTree(tmp);
            }
            cleanup.close();
        }
    }

    /** Named by the entry, not by the temporary folder's path, which means nothing to the person reading it. */
    private static IOException bothFileAndFolder(String name) {
        return new IOException("entry " + name + " is both a file and a folder in the bundle: refused");
    }

    /** Resolves a checked entry name under {@code dir}, and checks once more that it stays there. */
    private static Path inside(Path dir, String name) throws IOException {
        Path p = dir.resolve(name).normalize();
        if (!p.startsWith(dir) || p.equals(dir)) {
            throw new IOException("entry " + name + " would escape the output folder");
        }
        return p;
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            // Best effort: the folder is private (0700) and named as a temporary one.
        }
    }
}
