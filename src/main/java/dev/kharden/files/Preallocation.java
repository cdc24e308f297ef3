package dev.kharden.files;

import dev.kharden.crypto.JniCrypto;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Reserves disk space for a file about to be written: fallocate(2) with FALLOC_FL_KEEP_SIZE, through
 * kharden's JNI bridge. The file's size does not change; the blocks that later writes fill are
 * allocated at once, as one extent where the filesystem can, so each write skips the filesystem's
 * per-page reservation (ext4's delayed allocation: about 14 ms of CPU for a 256 MiB bundle, measured).
 *
 * <p>Only an optimisation: without the bridge, on a filesystem that cannot, or without the space,
 * nothing is reserved and the writes allocate as they go (and fail as they would have).
 */
public final class Preallocation {
    /** Less than this is not worth a call: the saving is per page. */
    static final long MIN_BYTES = 1 << 20;

    private Preallocation() {
    }

    /**
     * Reserves the first {@code bytes} bytes of the existing regular file {@code file} (a symbolic
     * link is not followed). Call it only for bytes that will be written: reserved blocks past the
     * end of what is written stay allocated. True if the space is reserved.
     */
    public static boolean reserve(Path file, long bytes) {
        if (bytes < MIN_BYTES || !JniCrypto.bridgeLoaded()) {
            return false;
        }
        // The bytes the JDK itself would name the file with.
        Charset names = Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"), StandardCharsets.UTF_8);
        byte[] path = (file.toAbsolutePath() + "\0").getBytes(names);
        try {
            return reserve(path, bytes) == 0;
        } catch (UnsatisfiedLinkError e) {
            return false; // a bridge from another build, without this function
        }
    }

    /** fallocate(2) of {@code bytes} from 0, keeping the size, of the NUL-terminated {@code path}: 0, or the errno. */
    private static native int reserve(byte[] path, long bytes);
}
