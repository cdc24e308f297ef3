package dev.kharden.files;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;

/**
 * Replaces a file's content all at once: writes a temporary file in the same directory, gives it the
 * permissions (and, where allowed, the owner) of the file it replaces (rw-r--r-- for a new file),
 * then renames it over the target, so a crash or a full disk never leaves a half-written report, a
 * half-signed module or a truncated certificate file behind. A symbolic link is followed: the file
 * it names is replaced and the link stays. A target that is not a regular file (/dev/null,
 * /dev/stdout, a named pipe) cannot be replaced and is written as it is. (Sealed bundles have their
 * own streaming writer, mode 0600: see {@code dev.kharden.seal.Sealer}.)
 */
public final class AtomicFile {
    private static final int MAX_LINKS = 40;

    public static void write(Path target, byte[] data) throws IOException {
        Path abs = target.toAbsolutePath();
        if (Files.isDirectory(abs)) {
            throw new FileSystemException(target.toString(), null, "is a folder");
        }
        if (isOpenDescriptor(abs)) {
            // /dev/stdout and its kin name a descriptor the caller already opened, maybe on a regular
            // file (> log, >> log, { ...; } > log): replacing that file would drop what is in it, and
            // opening it anew would write from its start, or at least not move the descriptor's own
            // offset for what the shell writes next. Standard output and error are written through
            // the process's own descriptors; another one is opened to append.
            java.io.FileDescriptor own = standardDescriptor(abs);
            if (own != null) {
                java.io.FileOutputStream out = new java.io.FileOutputStream(own); // not closed: it is the process's
                out.write(data);
                out.flush();
                return;
            }
            try (OutputStream out = Files.newOutputStream(abs, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
                out.write(data);
            }
            return;
        }
        if (Files.exists(abs) && !Files.isRegularFile(abs)) {
            // a device, a pipe or a socket: renaming over it would replace /dev/null with a file
            try (OutputStream out = Files.newOutputStream(abs, StandardOpenOption.WRITE)) {
                out.write(data);
            }
            return;
        }
        abs = followLinks(abs);
        Path tmp = Files.createTempFile(abs.getParent(), PrivateTemp.prefixFor(abs), ".tmp");
        try {
            Files.write(tmp, data);
            keepAttributes(abs, tmp);
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Whether {@code abs} names an open file descriptor (/dev/stdout, /dev/stderr, /dev/fd/N,
     * /proc/self/fd/N, /proc/PID/fd/N) rather than a file.
     */
    static boolean isOpenDescriptor(Path abs) {
        String s = abs.normalize().toString();
        return s.equals("/dev/stdout") || s.equals("/dev/stderr") || s.startsWith("/dev/fd/")
                || s.matches("/proc/(self|thread-self|[0-9]+)/fd/[0-9]+");
    }

    /** The process's standard output or error when {@code abs} names it, else null. */
    private static java.io.FileDescriptor standardDescriptor(Path abs) {
        String s = abs.normalize().toString();
        String n = s.substring(s.lastIndexOf('/') + 1);
        boolean own = !s.matches("/proc/[0-9]+/fd/[0-9]+") || s.startsWith("/proc/" + ProcessHandle.current().pid() + "/");
        if (own && (n.equals("stdout") || n.equals("1"))) {
            return java.io.FileDescriptor.out;
        }
        if (own && (n.equals("stderr") || n.equals("2"))) {
            return java.io.FileDescriptor.err;
        }
        return null;
    }

    /** The file a chain of symbolic links ends at (possibly not existing yet); {@code p} itself when it is no link. */
    static Path followLinks(Path p) throws IOException {
        for (int i = 0; i < MAX_LINKS && Files.isSymbolicLink(p); i++) {
            p = p.getParent().resolve(Files.readSymbolicLink(p));
        }
        if (Files.isSymbolicLink(p)) {
            throw new FileSystemException(p.toString(), null, "too many levels of symbolic links");
        }
        return p;
    }

    /** The replaced file's mode, owner and group on the new one (rw-r--r-- for a new file). */
    private static void keepAttributes(Path target, Path tmp) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(tmp, PosixFileAttributeView.class);
        if (view == null) {
            return; // not a POSIX file system: keep the defaults
        }
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            view.setPermissions(newFileMode());
            return;
        }
        PosixFileAttributes old = Files.readAttributes(target, PosixFileAttributes.class);
        view.setPermissions(old.permissions());
        try {
            if (!old.owner().equals(Files.getOwner(tmp))) {
                view.setOwner(old.owner());
            }
            view.setGroup(old.group());
        } catch (IOException e) {
            // only root may give a file away: the replaced file is then owned by whoever ran kharden
        }
    }

    private AtomicFile() {
    }

    /**
     * The mode a new file gets: rw-rw-rw- less the process's umask, as open(2) would give it (the
     * temporary file is made 0600 first). The umask is read from /proc/self/status; where that
     * cannot be read, 022 (rw-r--r--).
     */
    static java.util.Set<java.nio.file.attribute.PosixFilePermission> newFileMode() {
        int umask = 022;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Umask:")) {
                    umask = Integer.parseInt(line.substring(6).strip(), 8);
                    break;
                }
            }
        } catch (IOException | RuntimeException e) {
            // keep 022
        }
        int mode = 0666 & ~umask;
        java.util.Set<java.nio.file.attribute.PosixFilePermission> out = java.util.EnumSet.noneOf(java.nio.file.attribute.PosixFilePermission.class);
        java.nio.file.attribute.PosixFilePermission[] bits = java.nio.file.attribute.PosixFilePermission.values(); // OWNER_READ first
        for (int i = 0; i < 9; i++) {
            if ((mode & (0400 >> i)) != 0) {
                out.add(bits[i]);
            }
        }
        return out;
    }
}
