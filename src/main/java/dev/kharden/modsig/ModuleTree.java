package dev.kharden.modsig;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemLoopException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Expands the paths given on a command line into the modules to check: a file is taken as is
 * (whatever its name), a directory is walked (following symbolic links, as modprobe would) for
 * {@code .ko}, {@code .ko.gz}, {@code .ko.xz} and {@code .ko.zst}. A path that cannot be walked (a
 * symbolic-link loop, a directory without permission) becomes an entry with its own error, so the batch
 * goes on and reports it. Entries under each directory come sorted by path; only a folder that fails
 * after it was listed is reported after what was read of it.
 *
 * <p>The walk is depth first with each directory's children in sorted order, which is the order of
 * the whole paths sorted as strings (a directory's children are ordered as its name followed by
 * "/"), so entries can be handed out as they are found, and a batch can start on the first module
 * while the rest of the tree is still being read.
 */
public final class ModuleTree {
    /** One module to check, or a path that already failed ({@code error} not null). */
    public record Entry(Path path, Rejected error) {
    }

    public static boolean isModuleName(String name) {
        return name.endsWith(".ko") || name.endsWith(".ko.gz") || name.endsWith(".ko.xz") || name.endsWith(".ko.zst");
    }

    /** All entries for {@code paths}, in the order {@link #walk} hands them out. */
    public static List<Entry> expand(List<Path> paths) {
        List<Entry> out = new ArrayList<>();
        walk(paths, out::add);
        return out;
    }

    /**
     * Starts walking {@code paths} on a thread of its own and returns the feed it fills as modules
     * are found; the feed is closed at the end, or failed if the walk hits a bug.
     */
    public static Batch.Feed<Entry> walkInBackground(List<Path> paths) {
        Batch.Feed<Entry> feed = new Batch.Feed<>();
        Thread.ofPlatform().daemon().name("kharden-walk").start(() -> {
            try {
                walk(paths, feed::add);
                feed.close();
            } catch (java.util.concurrent.CancellationException e) {
                // the batch ended first (it failed): nobody reads the rest of the walk
            } catch (RuntimeException e) {
                feed.fail(e);
            } catch (Error e) {
                feed.fail(new IllegalStateException(e));
                throw e;
            }
        });
        return feed;
    }

    /** Hands each entry for {@code paths} to {@code sink} as soon as it is found, path by path. */
    public static void walk(List<Path> paths, Consumer<Entry> sink) {
        for (Path p : paths) {
            BasicFileAttributes a = attributes(p);
            if (a == null || !a.isDirectory()) {
                sink.accept(new Entry(p, null));
                continue;
            }
            List<Object> ancestors = new ArrayList<>();
            ancestors.add(identity(p, a));
            try {
                walkDirectory(p, ancestors, sink);
            } catch (IOException e) {
                sink.accept(new Entry(p, asRejected(e)));
            }
        }
    }

    /** A child of a directory being walked: its path, its sort key, and what to do with it. */
    private record Child(Path path, String key, BasicFileAttributes attrs, Rejected error) {
    }

    /**
     * Lists {@code dir}, then hands out its modules and walks its folders in sorted order. Whatever
     * will be reported as an entry of its own (a module, a path that fails, a folder that loops back
     * or cannot be opened) sorts by its name; a folder to descend into sorts as its name plus "/".
     */
    private static void walkDirectory(Path dir, List<Object> ancestors, Consumer<Entry> sink) throws IOException {
        List<Child> children = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path c : ds) {
                String name = c.getFileName().toString();
                BasicFileAttributes a;
                try {
                    a = attributesOrThrow(c);
                } catch (IOException e) {
                    // As a tree walk reports it: a module that cannot be read, or a directory refused.
                    if (isModuleName(name) || e instanceof AccessDeniedException) {
                        children.add(new Child(c, name, null, asRejected(e)));
                    }
                    continue;
                }
                if (!a.isDirectory()) {
                    if (isModuleName(name)) {
                        // A FIFO or device under a module's name would block the read or never end:
                        // unreadable, as a folder under a module's name is, and the walk goes on.
                        children.add(new Child(c, name, a, !a.isOther() ? null
                                : new Rejected(KernelErrno.EIO, "not a regular file (a FIFO, device or socket)")));
                    }
                } else if (ancestors.contains(identity(c, a))) {
                    children.add(new Child(c, name, a, new Rejected(KernelErrno.ELOOP,
                            "symbolic link loop back to an ancestor directory")));
                } else if (!Files.isReadable(c) || !Files.isExecutable(c)) {
                    children.add(new Child(c, name, a, new Rejected(KernelErrno.EACCES, "permission denied")));
                } else {
                    children.add(new Child(c, name + "/", a, null));
                }
            }
        } catch (DirectoryIteratorException e) {
            throw e.getCause(); // an I/O error partway through the listing
        }
        children.sort(Comparator.comparing(Child::key));
        for (Child c : children) {
            if (c.error() != null || !c.attrs().isDirectory()) {
                sink.accept(new Entry(c.path(), c.error()));
                continue;
            }
            ancestors.add(identity(c.path(), c.attrs()));
            try {
                walkDirectory(c.path(), ancestors, sink);
            } catch (IOException e) {
                // The folder failed after it was listed (removed, unreadable, an I/O error): reported
                // after whatever of it was read, and the walk goes on with its siblings.
                sink.accept(new Entry(c.path(), asRejected(e)));
            } finally {
                ancestors.removeLast();
            }
        }
    }

    /**
     * Attributes following links; when that fails, the link's own (a dangling link or a link loop
     * named like a module is kept, and reading it reports ENOENT or ELOOP), as a tree walk does.
     */
    private static BasicFileAttributes attributesOrThrow(Path p) throws IOException {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class);
        } catch (IOException e) {
            return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        }
    }

    private static BasicFileAttributes attributes(Path p) {
        try {
            return attributesOrThrow(p);
        } catch (IOException e) {
            return null;
        }
    }

    /** What makes two directories the same (device and inode), for loop detection. */
    private static Object identity(Path p, BasicFileAttributes a) {
        return Objects.requireNonNullElse(a.fileKey(), p.toAbsolutePath().normalize());
    }

    static Rejected asRejected(IOException e) {
        if (e instanceof AccessDeniedException) {
            return new Rejected(KernelErrno.EACCES, "permission denied");
        }
        if (e instanceof NoSuchFileException) {
            return new Rejected(KernelErrno.ENOENT, "no such file");
        }
        if (e instanceof FileSystemLoopException) {
            return new Rejected(KernelErrno.ELOOP, "symbolic link loop");
        }
        String m = String.valueOf(e.getMessage());
        return new Rejected(m.contains("symbolic links") ? KernelErrno.ELOOP : KernelErrno.EIO, "cannot read: " + m);
    }

    private ModuleTree() {
    }
}
