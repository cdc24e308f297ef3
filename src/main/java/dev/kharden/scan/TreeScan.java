package dev.kharden.scan;

import dev.kharden.input.InputException;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * The one job: walk the given paths for C sources and scan them on {@code jobs} threads, one parser
 * per thread, returning one {@link FileResult} per file in path order. A bad file never stops the
 * batch: it gets its own status and reason.
 *
 * <p>What is walked: every {@code .c} and {@code .h} file below a folder (symbolic links below it are
 * not followed, so a tree with link cycles terminates; {@code .git} folders are skipped); a folder or
 * file named explicitly may be a symbolic link, which is followed; a file named explicitly is scanned
 * whatever its name.
 */
public final class TreeScan {
    /** One file to scan: where it is, and how reports name it. */
    public record Source(Path path, String display, Path root) {
    }

    private final ScanOptions options;
    private final int jobs;

    public TreeScan(ScanOptions options, int jobs) {
        this.options = options;
        this.jobs = Math.max(1, jobs);
    }

    /** The files a scan of {@code roots} covers; a missing root is bad input (exit 2). */
    public static List<Source> collect(List<Path> roots, List<FileResult> problems) {
        List<Source> out = new ArrayList<>();
        for (Path root : roots) {
            if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
                throw InputException.ofFile(root.toString(), "no such file or directory");
            }
            if (!Files.isDirectory(root)) {
                out.add(new Source(root, display(root.toString()), root.toAbsolutePath().getParent()));
                continue;
            }
            List<Source> found = new ArrayList<>();
            try {
                // A named link to a folder (/usr/src/linux, /lib/modules/*/build) is followed; the
                // walk starts at its target and names files through the link as given.
                Path start = Files.isSymbolicLink(root) ? root.toRealPath() : root;
                Files.walkFileTree(start, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                        return dir.getFileName() != null && dir.getFileName().toString().equals(".git")
                                ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                        String n = file.getFileName().toString();
                        if (attrs.isRegularFile() && (n.endsWith(".c") || n.endsWith(".h"))) {
                            Path named = named(file);
                            found.add(new Source(named, display(named.toString()), root.toAbsolutePath()));
                        }
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path file, IOException exc) {
                        problems.add(FileResult.error(display(named(file).toString()), reason(exc)));
                        return FileVisitResult.CONTINUE;
                    }

                    /** {@code file} of the walk as named below the root given. */
                    private Path named(Path file) {
                        return start == root ? file : root.resolve(start.relativize(file));
                    }
                });
            } catch (IOException e) {
                throw InputException.ofFile(root.toString(), "cannot walk: " + e.getMessage());
            }
            found.sort(java.util.Comparator.comparing(Source::display));
            out.addAll(found);
        }
        return out;
    }

    /** Scans {@code sources}; {@code progress} hears the count of files done (from any thread). */
    public List<FileResult> scan(List<Source> sources, IntConsumer progress) {
        CFileScanner.language(); // fail once, clearly, before any thread starts
        ThreadLocal<CFileScanner> scanners = ThreadLocal.withInitial(() -> new CFileScanner(options));
        AtomicInteger done = new AtomicInteger();
        List<FileResult> results = new ArrayList<>(sources.size());
        try (ExecutorService pool = Executors.newFixedThreadPool(jobs, r -> {
            Thread t = new Thread(r, "kharden-scan");
            t.setDaemon(true);
            return t;
        })) {
            List<Future<FileResult>> futures = new ArrayList<>(sources.size());
            for (Source s : sources) {
                futures.add(pool.submit(() -> {
                    FileResult r = scanOne(scanners.get(), s);
                    progress.accept(done.incrementAndGet());
                    return r;
                }));
            }
            for (int i = 0; i < futures.size(); i++) {
                try {
                    results.add(futures.get(i).get());
                } catch (ExecutionException e) {
                    results.add(FileResult.error(sources.get(i).display(), "scanner failure: " + e.getCause()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted", e);
                }
            }
        }
        return results;
    }

    private FileResult scanOne(CFileScanner scanner, Source s) {
        byte[] bytes;
        try {
            long size = Files.size(s.path());
            if (size > options.maxFileBytes()) {
                return FileResult.skipped(s.display(), "larger than " + options.maxFileBytes()
                        + " bytes (--max-file-size)");
            }
            bytes = Files.readAllBytes(s.path());
        } catch (IOException e) {
            return FileResult.error(s.display(), reason(e));
        }
        try {
            return scanner.scan(s.display(), bytes);
        } catch (StackOverflowError e) {
            return FileResult.error(s.display(), "expression too deeply nested for the analysis");
        }
    }

    private static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        return "cannot read: " + e.getMessage();
    }

    private static String display(String p) {
        return p.replace(java.io.File.separatorChar, '/');
    }
}
