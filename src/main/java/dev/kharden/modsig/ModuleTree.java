package dev.kharden.modsig;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;

/**
 * Expands the paths given on a command line into the modules to check: a file is taken as is
 * (whatever its name), a directory is walked (following symbolic links, as modprobe would) for
 * {@code .ko}, {@code .ko.gz}, {@code .ko.xz} and {@code .ko.zst}. A path that cannot be walked (a
 * symbolic-link loop, a directory without permission) becomes an entry with its own error, so the batch
 * goes on and reports it. Results are sorted by path for stable output.
 */
public final class ModuleTree {
    /** One module to check, or a path that already failed ({@code error} not null). */
    public record Entry(Path path, Rejected error) {
    }

    public static boolean isModuleName(String name) {
        return name.endsWith(".ko") || name.endsWith(".ko.gz") || name.endsWith(".ko.xz") || name.endsWith(".ko.zst");
    }

    public static List<Entry> expand(List<Path> paths) {
        List<Entry> out = new ArrayList<>();
        for (Path p : paths) {
            if (!Files.isDirectory(p)) {
                out.add(new Entry(p, null));
                continue;
            }
            List<Entry> found = new ArrayList<>();
            try {
                Files.walkFileTree(p, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE,
                        new SimpleFileVisitor<>() {
                            @Override
                            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                                // A dangling link arrives here as a link: keep it, reading it reports ENOENT.
                                if (!attrs.isDirectory() && isModuleName(file.getFileName().toString())) {
                                    found.add(new Entry(file, null));
                                }
                                return FileVisitResult.CONTINUE;
                            }

                            @Override
                            public FileVisitResult visitFileFailed(Path file, IOException e) {
                                if (e instanceof FileSystemLoopException) {
                                    found.add(new Entry(file, new Rejected(KernelErrno.ELOOP,
                                            "symbolic link loop back to an ancestor directory")));
                                } else if (isModuleName(file.getFileName().toString())
                                        || e instanceof AccessDeniedException) {
                                    found.add(new Entry(file, asRejected(e)));
                                }
                                return FileVisitResult.CONTINUE;
                            }
                        });
            } catch (IOException e) {
                found.add(new Entry(p, asRejected(e)));
            }
            found.sort(Comparator.comparing(e -> e.path().toString()));
            out.addAll(found);
        }
        return out;
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
