/*
 * kharden's reader of the kernel log device (/dev/kmsg) for `kharden seal`. The device blocks at the
 * end of the ring buffer, which Java's file APIs cannot avoid, so it is opened O_NONBLOCK here and
 * read until EAGAIN. Each read(2) returns one record, "prio,seq,usec,flags;text\n" followed by
 * continuation lines (" KEY=value"); only the first line of each is kept. The Java side is
 * dev.kharden.seal.KmsgDevice; the same reading through the FFM API is its fallback.
 */
#include <jni.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define RECORD_MAX 16384
#define PATH_MAX_BYTES 4096
#define OUT_MAX (64 << 20)

/*
 * Reads every record of the device at the NUL-terminated path, each up to its first newline and
 * ended with one. Returns them, or NULL with err[0] set to the errno that stopped the read (or to
 * ENOMEM, or EINVAL for a bad path or arguments). EPIPE (records overwritten while reading) and
 * EINTR are skipped over; at most max_records records and 64 MiB are returned.
 */
JNIEXPORT jbyteArray JNICALL Java_dev_kharden_seal_KmsgDevice_readAll(JNIEnv *env, jclass cls, jbyteArray path,
                                                                    jint max_records, jintArray err) {
    jint e = 0;
    if ((*env)->GetArrayLength(env, err) < 1) {
        return NULL;
    }
    jsize plen = (*env)->GetArrayLength(env, path);
    char p[PATH_MAX_BYTES];
    if (plen < 2 || plen > PATH_MAX_BYTES || max_records < 0) {
        e = EINVAL;
        (*env)->SetIntArrayRegion(env, err, 0, 1, &e);
        return NULL;
    }
    (*env)->GetByteArrayRegion(env, path, 0, plen, (jbyte *) p);
    if (p[plen - 1] != 0 || memchr(p, 0, (size_t) plen - 1) != NULL) {
        e = EINVAL;
        (*env)->SetIntArrayRegion(env, err, 0, 1, &e);
        return NULL;
    }
    int fd = open(p, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        e = errno;
        (*env)->SetIntArrayRegion(env, err, 0, 1, &e);
        return NULL;
    }
    char buf[RECORD_MAX];
    size_t cap = 1 << 16, len = 0;
    char *out = malloc(cap);
    if (out == NULL) {
        e = ENOMEM;
    }
    for (jint records = 0; out != NULL && e == 0 && records < max_records;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n > 0) {
            char *nl = memchr(buf, '\n', (size_t) n);
            size_t take = nl != NULL ? (size_t) (nl - buf) : (size_t) n;
            if (len + take + 1 > OUT_MAX) {
                break;
            }
            while (len + take + 1 > cap) {
                char *bigger = realloc(out, cap * 2);
                if (bigger == NULL) {
                    e = ENOMEM;
                    break;
                }
                out = bigger;
                cap *= 2;
            }
            if (e != 0) {
                break;
            }
            memcpy(out + len, buf, take);
            len += take;
            out[len++] = '\n';
            records++;
        } else if (n == 0 || errno == EAGAIN) {
            break; /* the end of the ring buffer */
        } else if (errno != EPIPE && errno != EINTR) {
            e = errno;
        }
    }
    close(fd);
    jbyteArray result = NULL;
    if (e == 0) {
        result = (*env)->NewByteArray(env, (jsize) len);
        if (result != NULL) {
            (*env)->SetByteArrayRegion(env, result, 0, (jsize) len, (const jbyte *) out);
        }
    } else {
        (*env)->SetIntArrayRegion(env, err, 0, 1, &e);
    }
    free(out);
    return result;
}
