package dev.kharden.modsig;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A module as the kernel sees it when it checks the signature: the decompressed bytes. kmod (or the
 * kernel itself with MODULE_DECOMPRESS) undoes gzip/xz/zstd before module_sig_check runs, and kbuild
 * signs before it compresses, so the signature and its marker live inside the compressed stream.
 * Compression is recognised by magic bytes, not by file name.
 */
public record ModuleImage(String name, byte[] bytes, Compression compression, long fileSize) {
    /** Largest module (compressed or not) kharden reads: the biggest distribution modules are ~20 MiB. */
    public static final long DEFAULT_LIMIT = 256L << 20;

    /** Reads and, if needed, decompresses {@code path}, never producing more than {@code limit} bytes. */
    public static ModuleImage read(Path path, long limit) throws Rejected {
        String name = path.toString();
        byte[] raw;
        try {
            if (Files.isDirectory(path)) {
                throw new Rejected(KernelErrno.EIO, "is a directory");
            }
            long size = Files.size(path);
            if (size > limit) {
                throw new Rejected(KernelErrno.EFBIG, "file is " + size + " bytes, over the " + limit + "-byte limit");
            }
            raw = dev.kharden.files.BoundedRead.readAllBytes(path, limit); // a device or pipe says size 0
        } catch (dev.kharden.files.BoundedRead.TooLarge e) {
            throw new Rejected(KernelErrno.EFBIG, "file is over the " + limit + "-byte limit");
        } catch (IOException e) {
            throw rejected(e);
        }
        return of(name, raw, limit);
    }

    /** The status of a module that cannot be read: ENOENT, EACCES, ELOOP, else EIO. */
    static Rejected rejected(IOException e) {
        return switch (e) {
            case NoSuchFileException n -> new Rejected(KernelErrno.ENOENT, "no such file");
            case AccessDeniedException a -> new Rejected(KernelErrno.EACCES, "permission denied");
            case FileSystemLoopException l -> new Rejected(KernelErrno.ELOOP, "symbolic link loop");
            default -> {
                String m = String.valueOf(e.getMessage());
                yield new Rejected(m.contains("Too many levels of symbolic links") ? KernelErrno.ELOOP : KernelErrno.EIO,
                        "cannot read: " + m);
            }
        };
    }

    /** Wraps bytes already in memory (tests, fuzzing, standard input). */
    public static ModuleImage of(String name, byte[] raw, long limit) throws Rejected {
        Compression c = Compression.detect(raw, 0);
        return switch (c) {
            case NONE -> new ModuleImage(name, raw, c, raw.length);
            case GZIP, XZ, ZSTD -> new ModuleImage(name, c.decompress(raw, 0, raw.length, limit, false), c, raw.length);
            // The kernel and kmod only decompress gzip, xz and zstd modules; anything else is not a module.
            default -> new ModuleImage(name, raw, Compression.NONE, raw.length);
        };
    }
}
