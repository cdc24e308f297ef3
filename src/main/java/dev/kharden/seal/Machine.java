package dev.kharden.seal;

import dev.kharden.files.BoundedRead;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

/**
 * The system a bundle is collected from: the live machine (root "/") or a copy of its /proc, /sys,
 * /boot and /dev/kmsg laid out under another directory (tests, or a rescue system inspecting a
 * mounted root). Every collector reads through it, so none hard-codes an absolute path.
 */
public final class Machine {
    /** /proc files are read whole into memory; anything larger than this is not what we expect. */
    static final int MAX_FILE = 256 << 20;

    private final Path root;
    /** Files being read ahead by {@link #prefetch}, until {@link #read} takes them. */
    private final Map<String, FutureTask<byte[]>> ahead = new ConcurrentHashMap<>();

    public Machine(Path root) {
        this.root = root;
    }

    public static Machine live() {
        return new Machine(Path.of("/"));
    }

    public boolean isLive() {
        return root.toAbsolutePath().normalize().equals(Path.of("/"));
    }

    /**
     * The path of an absolute system path ("/proc/kallsyms") on this machine; under a root folder,
     * with links resolved inside it ({@link dev.kharden.files.Rooted}).
     */
    public Path path(String absolute) {
        return dev.kharden.files.Rooted.resolve(root, absolute);
    }

    /**
     * Starts reading a whole file on a thread of its own, for a later {@link #read} of it to take:
     * /proc/kallsyms takes the kernel tens of milliseconds to generate, time the sealer spends
     * meanwhile on its other work. Memory is the file's bytes, held until read.
     */
    public void prefetch(String absolute) {
        ahead.computeIfAbsent(absolute, a -> {
            FutureTask<byte[]> task = new FutureTask<>(() -> readNow(a));
            Thread.ofPlatform().daemon().name("kharden-prefetch").start(task);
            return task;
        });
    }

    /**
     * Reads a whole file (procfs files report size 0, so read until EOF), bounded by MAX_FILE; a
     * file {@link #prefetch prefetched} is taken from there, with the same result or exception.
     */
    public byte[] read(String absolute) throws IOException {
        FutureTask<byte[]> task = ahead.remove(absolute);
        if (task == null) {
            return readNow(absolute);
        }
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading " + absolute);
        } catch (ExecutionException e) {
            throw Failures.io(e.getCause());
        }
    }

    private byte[] readNow(String absolute) throws IOException {
        return readBounded(path(absolute), absolute);
    }

    /** A whole file read to its end, whatever size it claims (procfs says 0), up to MAX_FILE bytes. */
    static byte[] readBounded(Path file) throws IOException {
        return readBounded(file, file.toString());
    }

    private static byte[] readBounded(Path file, String name) throws IOException {
        try {
            return BoundedRead.readAllBytes(file, MAX_FILE);
        } catch (BoundedRead.TooLarge e) {
            throw new IOException(name + " is larger than " + (MAX_FILE >> 20) + " MiB", e);
        }
    }

    /** The file's text with surrounding whitespace removed, or null when it cannot be read. */
    public String readTrimmed(String absolute) {
        try {
            return new String(read(absolute), StandardCharsets.UTF_8).strip();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
