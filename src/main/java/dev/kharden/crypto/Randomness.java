package dev.kharden.crypto;

import java.security.SecureRandom;

/**
 * The randomness behind kharden's keys, nonces and temporary file names: the kernel's CSPRNG,
 * through getrandom(2) in kharden's JNI bridge, else the JDK's default {@link SecureRandom} (which
 * reads the same kernel source). The bridge's way skips the JDK's security provider list, whose
 * first use costs about 14 ms of CPU at the start of a seal.
 */
public final class Randomness {
    private Randomness() {
    }

    /** Made on first need only: most runs never need it. */
    private static final class Fallback {
        static final SecureRandom INSTANCE = new SecureRandom();
    }

    /** Fills {@code out} with random bytes. */
    public static void fill(byte[] out) {
        if (JniCrypto.bridgeLoaded() && fromKernel(out)) {
            return;
        }
        Fallback.INSTANCE.nextBytes(out);
    }

    /** Fills {@code out} from getrandom(2) through the bridge; false when the bridge cannot. */
    static boolean fromKernel(byte[] out) {
        try {
            return getRandom(out) == 0;
        } catch (UnsatisfiedLinkError e) {
            return false; // a bridge from another build, without this function
        }
    }

    /** getrandom(2) until {@code out} is full: 0, or the errno of the call that failed. */
    private static native int getRandom(byte[] out);
}
