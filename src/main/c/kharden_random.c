/*
 * Random bytes for kharden's keys, nonces and temporary names, from the kernel's CSPRNG through
 * getrandom(2): the source the JDK's default SecureRandom reads too (/dev/urandom), without
 * initialising the JDK's security providers first (about 14 ms of CPU at the start of a seal). The
 * Java side is dev.kharden.crypto.Randomness.
 */
#include <jni.h>
#include <errno.h>
#include <sys/random.h>

/* Fills out with random bytes; returns 0, or the errno of the failed call. */
JNIEXPORT jint JNICALL Java_dev_kharden_crypto_Randomness_getRandom(JNIEnv *env, jclass cls, jbyteArray out) {
    jsize n = (*env)->GetArrayLength(env, out);
    unsigned char buf[256];
    jsize done = 0;
    while (done < n) {
        size_t want = (size_t) (n - done) < sizeof buf ? (size_t) (n - done) : sizeof buf;
        ssize_t got = getrandom(buf, want, 0);
        if (got < 0) {
            if (errno == EINTR) {
                continue;
            }
            return errno;
        }
        (*env)->SetByteArrayRegion(env, out, done, (jsize) got, (const jbyte *) buf);
        done += (jsize) got;
    }
    for (size_t i = 0; i < sizeof buf; i++) {
        ((volatile unsigned char *) buf)[i] = 0;
    }
    return 0;
}
