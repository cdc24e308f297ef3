package dev.kharden.seal;

import dev.kharden.crypto.JniCrypto;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The kernel log device read through kharden's JNI bridge ({@code src/main/c/kharden_kmsg.c}):
 * opened O_NONBLOCK and read to EAGAIN, one record per read, in one native call. The FFM API can
 * make the same calls ({@link KmsgReader}'s fallback), but linking them costs about 40 ms at start,
 * when a seal is otherwise over in a few hundred.
 */
final class KmsgDevice {
    private KmsgDevice() {
    }

    /** Whether the bridge is there to read with. */
    static boolean available() {
        return JniCrypto.bridgeLoaded();
    }

    /**
     * Every record of the device (the first line of each), at most {@code maxRecords}; an
     * IOException naming the errno when the device cannot be opened or read.
     */
    static List<String> read(Path device, int maxRecords) throws IOException {
        byte[] path = (device.toString() + "\0").getBytes(StandardCharsets.UTF_8);
        int[] errno = new int[1];
        byte[] all = readAll(path, maxRecords, errno);
        if (all == null) {
            throw new IOException(device + ": " + KmsgReader.errnoText(errno[0]));
        }
        List<String> records = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < all.length; i++) {
            if (all[i] == '\n') {
                records.add(new String(all, start, i - start, StandardCharsets.UTF_8));
                start = i + 1;
            }
        }
        return records;
    }

    /** Records separated by newlines, or null with the errno in {@code errno[0]}. */
    private static native byte[] readAll(byte[] pathZ, int maxRecords, int[] errno);
}
