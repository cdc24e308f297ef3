package dev.kharden.seal;

import dev.kharden.age.LibCrypto;
import dev.kharden.crypto.JniCrypto;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.security.SecureRandom;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.bouncycastle.math.ec.rfc7748.X25519;

/**
 * One-time initialisation that the first seal or unseal would otherwise do on its main thread,
 * for a second core to run while the command line is still being parsed. In a JVM that has just
 * started all of this runs interpreted, so it is slow for what it is:
 * <ul>
 * <li>the first tar header read: commons-compress's time helpers initialise BigDecimal, whose
 * constants are computed with BigInteger arithmetic (about 12 ms); sealing writes its headers
 * itself ({@link TarHeader}) and needs none of it;</li>
 * <li>the JDK's native I/O libraries, loaded with the first file channel (about 6 ms);</li>
 * <li>the JDK's SecureRandom and its provider list (about 14 ms): unseal names its temporary folder
 * with it (sealing draws from the kernel, see {@link dev.kharden.crypto.Randomness}).</li>
 * </ul>
 * Nothing here has an effect besides class initialisation: a failure is ignored, and the command
 * then pays the cost itself where it always did.
 */
public final class WarmUp {
    private WarmUp() {
    }

    /**
     * Opens and closes a file channel (on the root folder, which is always there), as creating the
     * bundle is about to: the first channel loads the JDK's native I/O libraries, about 6 ms.
     */
    public static void channels() {
        try (FileChannel c = FileChannel.open(Path.of("/"))) {
            c.isOpen();
        } catch (IOException | RuntimeException ignored) {
            // only a head start: the bundle's own channel meets whatever this met
        }
    }

    /** Runs commons-compress's tar header parser once, on a header that is thrown away. */
    public static void tar() {
        try {
            new TarArchiveEntry(TarHeader.file("warm-up", 1, 0));
        } catch (RuntimeException ignored) {
            // the header parses; if not, the real read reports it
        }
    }

    /** Seeds the JDK's default SecureRandom, as unseal's temporary folder name would. */
    public static void random() {
        new SecureRandom().nextInt();
    }

    /**
     * Sealing's cryptography, ahead of the main thread: loads kharden's bridge to libcrypto (a
     * dlopen of OpenSSL, about 5 ms). Without libcrypto's X25519, runs one X25519 on a throw-away
     * scalar, so that the client compiler has compiled BouncyCastle's field arithmetic before the
     * recipients' key shares are computed (about 5 ms interpreted).
     */
    public static void crypto() {
        LibCrypto.available();
        if (JniCrypto.hasX25519()) {
            return;
        }
        byte[] scalar = new byte[X25519.SCALAR_SIZE];
        scalar[0] = 1;
        byte[] u = new byte[X25519.POINT_SIZE];
        u[0] = 9;
        X25519.scalarMult(scalar, 0, u, 0, new byte[X25519.POINT_SIZE], 0);
    }
}
