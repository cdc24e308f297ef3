/*
 * Disk space for a file kharden is about to write, reserved before the writes: fallocate(2) with
 * FALLOC_FL_KEEP_SIZE. The Java side is dev.kharden.files.Preallocation.
 */
#define _GNU_SOURCE
#include <jni.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <linux/falloc.h>

/* Reserves the first len bytes of the file at path (NUL-terminated bytes); 0, or the errno of the failed call. */
JNIEXPORT jint JNICALL Java_dev_kharden_files_Preallocation_reserve(JNIEnv *env, jclass cls, jbyteArray path, jlong len) {
    jsize n = (*env)->GetArrayLength(env, path);
    if (n < 2 || len <= 0) {
        return EINVAL;
    }
    jbyte *p = (*env)->GetByteArrayElements(env, path, NULL);
    if (p == NULL) {
        return ENOMEM;
    }
    int fd = -1;
    int err = 0;
    if (p[n - 1] != 0 || memchr(p, 0, (size_t) n - 1) != NULL) {
        err = EINVAL;
    } else {
        fd = open((const char *) p, O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
        if (fd < 0) {
            err = errno;
        }
    }
    (*env)->ReleaseByteArrayElements(env, path, p, JNI_ABORT);
    if (fd < 0) {
        return err;
    }
    int r;
    do {
        r = fallocate(fd, FALLOC_FL_KEEP_SIZE, 0, (off_t) len);
    } while (r != 0 && errno == EINTR);
    err = r != 0 ? errno : 0;
    close(fd);
    return err;
}
