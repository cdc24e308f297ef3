/*
 * kharden's bridge to the system's OpenSSL 3 libcrypto (libcrypto.so.3), for the calls made per
 * module and per buffer: message digests (EVP), the raw RSA public operation, and ChaCha20-Poly1305
 * one age payload chunk at a time. The Java side is
 * dev.kharden.crypto.JniCrypto; it checks every index and length before calling, and these functions
 * check again against the arrays they are given. libcrypto is opened with dlopen, so building needs
 * no OpenSSL headers, and a machine without libcrypto.so.3 simply reports init() == false.
 *
 * Why not the FFM API alone: linking a downcall makes the JDK generate classes at run time (about
 * 40 ms of CPU at every start of a short-lived process), and JNI costs one dlopen.
 */
#include <jni.h>
#include <dlfcn.h>
#include <stddef.h>
#include <stdint.h>

typedef void *(*md_by_name_fn)(const char *);
typedef void *(*ctx_new_fn)(void);
typedef void (*ctx_free_fn)(void *);
typedef int (*digest_init_fn)(void *, const void *, void *);
typedef int (*digest_update_fn)(void *, const void *, size_t);
typedef int (*digest_final_fn)(void *, unsigned char *, unsigned int *);
typedef void *(*d2i_rsa_pubkey_fn)(void **, const unsigned char **, long);
typedef void (*rsa_free_fn)(void *);
typedef int (*rsa_size_fn)(const void *);
typedef int (*rsa_public_decrypt_fn)(int, const unsigned char *, unsigned char *, void *, int);
typedef const void *(*cipher_fn)(void);
typedef int (*cipher_init_fn)(void *, const void *, void *, const unsigned char *, const unsigned char *, int);
typedef int (*cipher_update_fn)(void *, unsigned char *, int *, const unsigned char *, int);
typedef int (*cipher_final_fn)(void *, unsigned char *, int *);
typedef int (*cipher_ctrl_fn)(void *, int, int, void *);
typedef void *(*pkey_new_raw_fn)(int, void *, const unsigned char *, size_t);
typedef void (*pkey_free_fn)(void *);
typedef void *(*pkey_ctx_new_fn)(void *, void *);
typedef void (*pkey_ctx_free_fn)(void *);
typedef int (*pkey_derive_init_fn)(void *);
typedef int (*pkey_derive_set_peer_fn)(void *, void *);
typedef int (*pkey_derive_fn)(void *, unsigned char *, size_t *);

static md_by_name_fn md_by_name;
static ctx_new_fn md_ctx_new;
static ctx_free_fn md_ctx_free;
static digest_init_fn digest_init;
static digest_update_fn digest_update;
static digest_final_fn digest_final;
static d2i_rsa_pubkey_fn d2i_rsa_pubkey;
static rsa_free_fn rsa_free;
static rsa_size_fn rsa_size;
static rsa_public_decrypt_fn rsa_public_decrypt;
static ctx_new_fn cipher_ctx_new;
static ctx_free_fn cipher_ctx_free;
static cipher_fn chacha20_poly1305;
static cipher_init_fn cipher_init;
static cipher_update_fn cipher_update;
static cipher_final_fn cipher_final;
static cipher_ctrl_fn cipher_ctrl;
/* X25519, looked up apart: a libcrypto without them still serves digests and ciphers. */
static pkey_new_raw_fn pkey_new_raw_private;
static pkey_new_raw_fn pkey_new_raw_public;
static pkey_free_fn pkey_free;
static pkey_ctx_new_fn pkey_ctx_new;
static pkey_ctx_free_fn pkey_ctx_free;
static pkey_derive_init_fn pkey_derive_init;
static pkey_derive_set_peer_fn pkey_derive_set_peer;
static pkey_derive_fn pkey_derive;

#define EVP_MAX_MD_SIZE 64
#define RSA_NO_PADDING 3
#define EVP_CTRL_AEAD_GET_TAG 0x10
#define EVP_CTRL_AEAD_SET_TAG 0x11
#define TAG 16
#define EVP_PKEY_X25519 1034
#define PTR(x) ((void *) (size_t) (x))

JNIEXPORT jboolean JNICALL Java_dev_kharden_crypto_JniCrypto_init(JNIEnv *env, jclass cls) {
    void *lib = dlopen("libcrypto.so.3", RTLD_NOW | RTLD_LOCAL);
    if (lib == NULL) {
        return JNI_FALSE;
    }
    md_by_name = (md_by_name_fn) dlsym(lib, "EVP_get_digestbyname");
    md_ctx_new = (ctx_new_fn) dlsym(lib, "EVP_MD_CTX_new");
    md_ctx_free = (ctx_free_fn) dlsym(lib, "EVP_MD_CTX_free");
    digest_init = (digest_init_fn) dlsym(lib, "EVP_DigestInit_ex");
    digest_update = (digest_update_fn) dlsym(lib, "EVP_DigestUpdate");
    digest_final = (digest_final_fn) dlsym(lib, "EVP_DigestFinal_ex");
    d2i_rsa_pubkey = (d2i_rsa_pubkey_fn) dlsym(lib, "d2i_RSA_PUBKEY");
    rsa_free = (rsa_free_fn) dlsym(lib, "RSA_free");
    rsa_size = (rsa_size_fn) dlsym(lib, "RSA_size");
    rsa_public_decrypt = (rsa_public_decrypt_fn) dlsym(lib, "RSA_public_decrypt");
    cipher_ctx_new = (ctx_new_fn) dlsym(lib, "EVP_CIPHER_CTX_new");
    cipher_ctx_free = (ctx_free_fn) dlsym(lib, "EVP_CIPHER_CTX_free");
    chacha20_poly1305 = (cipher_fn) dlsym(lib, "EVP_chacha20_poly1305");
    cipher_init = (cipher_init_fn) dlsym(lib, "EVP_CipherInit_ex");
    cipher_update = (cipher_update_fn) dlsym(lib, "EVP_CipherUpdate");
    cipher_final = (cipher_final_fn) dlsym(lib, "EVP_CipherFinal_ex");
    cipher_ctrl = (cipher_ctrl_fn) dlsym(lib, "EVP_CIPHER_CTX_ctrl");
    pkey_new_raw_private = (pkey_new_raw_fn) dlsym(lib, "EVP_PKEY_new_raw_private_key");
    pkey_new_raw_public = (pkey_new_raw_fn) dlsym(lib, "EVP_PKEY_new_raw_public_key");
    pkey_free = (pkey_free_fn) dlsym(lib, "EVP_PKEY_free");
    pkey_ctx_new = (pkey_ctx_new_fn) dlsym(lib, "EVP_PKEY_CTX_new");
    pkey_ctx_free = (pkey_ctx_free_fn) dlsym(lib, "EVP_PKEY_CTX_free");
    pkey_derive_init = (pkey_derive_init_fn) dlsym(lib, "EVP_PKEY_derive_init");
    pkey_derive_set_peer = (pkey_derive_set_peer_fn) dlsym(lib, "EVP_PKEY_derive_set_peer");
    pkey_derive = (pkey_derive_fn) dlsym(lib, "EVP_PKEY_derive");
    return md_by_name && md_ctx_new && md_ctx_free && digest_init && digest_update && digest_final
           && d2i_rsa_pubkey && rsa_free && rsa_size && rsa_public_decrypt && cipher_ctx_new && cipher_ctx_free
           && chacha20_poly1305 && cipher_init && cipher_update && cipher_final && cipher_ctrl
           && chacha20_poly1305() != NULL ? JNI_TRUE : JNI_FALSE;
}

/* EVP_get_digestbyname on a NUL-terminated ASCII name; 0 when unknown. */
JNIEXPORT jlong JNICALL Java_dev_kharden_crypto_JniCrypto_digestByName(JNIEnv *env, jclass cls, jbyteArray name) {
    jsize n = (*env)->GetArrayLength(env, name);
    jbyte *p = (*env)->GetByteArrayElements(env, name, NULL);
    if (p == NULL) {
        return 0;
    }
    void *md = n > 0 && p[n - 1] == 0 ? md_by_name((const char *) p) : NULL;
    (*env)->ReleaseByteArrayElements(env, name, p, JNI_ABORT);
    return (jlong) (size_t) md;
}

/* A digest context initialised for md, or 0. */
JNIEXPORT jlong JNICALL Java_dev_kharden_crypto_JniCrypto_digestStart(JNIEnv *env, jclass cls, jlong md) {
    void *ctx = md_ctx_new();
    if (ctx == NULL) {
        return 0;
    }
    if (digest_init(ctx, PTR(md), NULL) != 1) {
        md_ctx_free(ctx);
        return 0;
    }
    return (jlong) (size_t) ctx;
}

JNIEXPORT void JNICALL Java_dev_kharden_crypto_JniCrypto_digestFree(JNIEnv *env, jclass cls, jlong ctx) {
    md_ctx_free(PTR(ctx));
}

/* Hashes len bytes of native memory at address. */
JNIEXPORT jint JNICALL Java_dev_kharden_crypto_JniCrypto_digestUpdateNative(JNIEnv *env, jclass cls, jlong ctx,
                                                                           jlong address, jlong len) {
    return digest_update(PTR(ctx), PTR(address), (size_t) len);
}

/* Hashes b[off, off + len) of a direct ByteBuffer; 0 when it is not direct or the range exceeds its capacity. */
JNIEXPORT jint JNICALL Java_dev_kharden_crypto_JniCrypto_digestUpdateBuffer(JNIEnv *env, jclass cls, jlong ctx,
                                                                           jobject b, jint off, jint len) {
    unsigned char *p = (*env)->GetDirectBufferAddress(env, b);
    if (p == NULL || off < 0 || len < 0 || (jlong) off + len > (*env)->GetDirectBufferCapacity(env, b)) {
        return 0;
    }
    return digest_update(PTR(ctx), p + off, (size_t) len);
}

/* Hashes b[off, off + len), the array pinned for the call. */
JNIEXPORT jint JNICALL Java_dev_kharden_crypto_JniCrypto_digestUpdate(JNIEnv *env, jclass cls, jlong ctx,
                                                                     jbyteArray b, jint off, jint len) {
    if (off < 0 || len < 0 || off > (*env)->GetArrayLength(env, b) - len) {
        return 0;
    }
    jbyte *p = (*env)->GetPrimitiveArrayCritical(env, b, NULL);
    if (p == NULL) {
        return 0;
    }
    int ok = digest_update(PTR(ctx), p + off, (size_t) len);
    (*env)->ReleasePrimitiveArrayCritical(env, b, p, JNI_ABORT);
    return ok;
}

/* Writes the digest to out (at least EVP_MAX_MD_SIZE bytes) and returns its length, or -1. */
JNIEXPORT jint JNICALL Java_dev_kharden_crypto_JniCrypto_digestFinish(JNIEnv *env, jclass cls, jlong ctx,
                                                                     jbyteArray out) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    if ((*env)->GetArrayLength(env, out) < EVP_MAX_MD_SIZE || digest_final(PTR(ctx), md, &n) != 1
        || n > EVP_MAX_MD_SIZE) {
        return -1;
    }
    (*env)->SetByteArrayRegion(env, out, 0, (jsize) n, (const jbyte *) md);
    return (jint) n;
}

/* An RSA public key from its DER SubjectPublicKeyInfo, or 0 when libcrypto cannot read it. */
JNIEXPORT jlong JNICALL Java_dev_kharden_crypto_JniCrypto_rsaFromDer(JNIEnv *env, jclass cls, jbyteArray der) {
    jsize n = (*env)->GetArrayLength(env, der);
    jbyte *p = (*env)->GetByteArrayElements(env, der, NULL);
    if (p == NULL) {
        return 0;
    }
    const unsigned char *q = (const unsigned char *) p;
    void *rsa = d2i_rsa_pubkey(NULL, &q, (long) n);
    (*env)->ReleaseByteArrayElements(env, der, p, JNI_ABORT);
    return (jlong) (size_t) rsa;
}

JNIEXPORT void JNICALL Java_dev_kharden_crypto_JniCrypto_rsaFree(JNIEnv *env, jclass cls, jlong rsa) {
    rsa_free(PTR(rsa));
}

/*
 * s^e mod n for a signature of exactly k bytes (k = the modulus length, checked by the caller and by
 * libcrypto) into out[0, k); returns what RSA_public_decrypt returns (k, or -1 when it declines).
 */
JNIEXPORT jint JNICALL Java_dev_kharden_crypto_JniCrypto_rsaPublic(JNIEnv *env, jclass cls, jlong rsa,
                                                                  jbyteArray sig, jbyteArray out) {
    jsize k = (*env)->GetArrayLength(env, sig);
    if ((*env)->GetArrayLength(env, out) < k) {
        return -1;
    }
    unsigned char buf[2048]; /* up to RSA-16384 */
    /* libcrypto writes RSA_size bytes: the signature must be exactly that long, and fit here. */
    if (k > (jsize) sizeof buf || rsa_size(PTR(rsa)) != k) {
        return -1;
    }
    (*env)->GetByteArrayRegion(env, sig, 0, k, (jbyte *) buf);
    unsigned char res[2048];
    int n = rsa_public_decrypt((int) k, buf, res, PTR(rsa), RSA_NO_PADDING);
    if (n > 0 && n <= k) {
        (*env)->SetByteArrayRegion(env, out, 0, n, (const jbyte *) res);
    }
    return n;
}

/* A ChaCha20-Poly1305 context keyed with the 32-byte key, for encrypting or decrypting; 0 on failure. */
JNIEXPORT jlong JNICALL Java_dev_kharden_crypto_JniCrypto_aeadNew(JNIEnv *env, jclass cls, jbyteArray key,
                                                                 jboolean encrypt) {
    unsigned char k[32];
    if ((*env)->GetArrayLength(env, key) != 32) {
        return 0;
    }
    (*env)->GetByteArrayRegion(env, key, 0, 32, (jbyte *) k);
    void *ctx = cipher_ctx_new();
    if (ctx == NULL) {
        return 0;
    }
    int ok = cipher_init(ctx, chacha20_poly1305(), NULL, k, NULL, encrypt ? 1 : 0);
    for (int i = 0; i < 32; i++) {
        ((volatile unsigned char *) k)[i] = 0;
    }
    if (ok != 1) {
        cipher_ctx_free(ctx);
        return 0;
    }
    return (jlong) (size_t) ctx;
}

JNIEXPORT void JNICALL Java_dev_kharden_crypto_JniCrypto_aeadFree(JNIEnv *env, jclass cls, jlong ctx) {
    cipher_ctx_free(PTR(ctx));
}

/*
 * One chunk under a new 12-byte nonce: encrypt in[0, n) into out[0, n) and the tag into
 * out[n, n + 16), returning n + 16; or decrypt in[0, n) with the tag that follows it into out[0, n),
 * returning n, or -1 when the tag does not verify. -2 when a call fails.
 */
static jint aead_chunk(void *ctx, const unsigned char *iv, const unsigned char *in, jint n, unsigned char *out,
                       int encrypt) {
    int len = 0, fin = 0;
    if (cipher_init(ctx, NULL, NULL, NULL, iv, encrypt) != 1) {
        return -2;
    }
    if (!encrypt && cipher_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, TAG, (void *) (in + n)) != 1) {
        return -2;
    }
    if (n > 0 && (cipher_update(ctx, out, &len, in, n) != 1 || len != n)) {
        return -2;
    }
    if (cipher_final(ctx, out + n, &fin) != 1) {
        return encrypt ? -2 : -1; /* on decryption, a tag that does not verify */
    }
    if (encrypt) {
        return cipher_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, TAG, out + n) == 1 ? n + TAG : -2;
    }
    return n;
}

/* aead_chunk on in[off, off + n) of a Java array into another (or the same) array; -2 on a bad range. */
static jint aead(JNIEnv *env, jlong ctx, jbyteArray nonce, jbyteArray in, jint off, jint n, jbyteArray out,
                 int encrypt) {
    unsigned char iv[12];
    jsize in_len = (*env)->GetArrayLength(env, in), out_len = (*env)->GetArrayLength(env, out);
    if ((*env)->GetArrayLength(env, nonce) != 12 || off < 0 || n < 0 || n > INT32_MAX - TAG
        || off > in_len - n || (!encrypt && off + n > in_len - TAG) || out_len < (encrypt ? n + TAG : n)) {
        return -2;
    }
    (*env)->GetByteArrayRegion(env, nonce, 0, 12, (jbyte *) iv);
    int same = (*env)->IsSameObject(env, in, out);
    unsigned char *pin = (*env)->GetPrimitiveArrayCritical(env, in, NULL);
    if (pin == NULL) {
        return -2;
    }
    unsigned char *pout = same ? pin : (*env)->GetPrimitiveArrayCritical(env, out, NULL);
    if (pout == NULL) {
        (*env)->ReleasePrimitiveArrayCritical(env, in, pin, JNI_ABORT);
        return -2;
    }
    jint r = aead_chunk(PTR(ctx), iv, pin + off, n, pout, encrypt);
    if (!same) {
        (*env)->ReleasePrimitiveArrayCritical(env, out, pout, 0);
    }
    (*env)->ReleasePrimitiveArrayCritical(env, in, pin, same ? 0 : JNI_ABORT);
    return r;
}

/*
 * aead_chunk on direct ByteBuffers: in[in_off, in_off + n), and to decrypt the tag after it, into out
 * from out_off; -2 on a buffer that is not direct or a range beyond a buffer's capacity.
 */
static jint aead_buffer(JNIEnv *env, jlong ctx, jbyteArray nonce, jobject in, jint in_off, jint n, jobject out,
                        jint out_off, int encrypt) {
    unsigned char iv[12];
    unsigned char *pin = (*env)->GetDirectBufferAddress(env, in);
    unsigned char *pout = (*env)->GetDirectBufferAddress(env, out);
    jlong in_cap = (*env)->GetDirectBufferCapacity(env, in), out_cap = (*env)->GetDirectBufferCapacity(env, out);
    if (pin == NULL || pout == NULL || (*env)->GetArrayLength(env, nonce) != 12 || n < 0 || n > INT32_MAX - TAG
        || in_off < 0 || out_off < 0 || (jlong) in_off + n + (encrypt ? 0 : TAG) > in_cap
        || (jlong) out_off + n + (encrypt ? TAG : 0) > out_cap) {
        return -2;
    }
    (*env)->GetByteArrayRegion(env, nonce, 0, 12, (jbyte *) iv);
    return aead_chunk(PTR(ctx), iv, pin + in_off, n, pout + out_off, encrypt);
}

JNIEXPORT jint JNICALL Java_dev_kharden_crypto_JniCrypto_aeadSealBuffer(JNIEnv *env, jclass cls, jlong ctx,
                                                                       jbyteArray nonce, jobject in, jint in_off,
                                                                       jint n, jobject out, jint out_off) {
    return aead_buffer(env, ctx, nonce, in, in_off, n, out, out_off, 1);
}

JNIEXPORT jint JNICALL Java_dev_kharden_crypto_JniCrypto_aeadOpenBuffer(JNIEnv *env, jclass cls, jlong ctx,
                                                                       jbyteArray nonce, jobject in, jint in_off,
                                                                       jint n, jobject out, jint out_off) {
    return aead_buffer(env, ctx, nonce, in, in_off, n, out, out_off, 0);
}

JNIEXPORT jint JNICALL Java_dev_kharden_crypto_JniCrypto_aeadSeal(JNIEnv *env, jclass cls, jlong ctx, jbyteArray nonce,
                                                                 jbyteArray in, jint off, jint n, jbyteArray out) {
    return aead(env, ctx, nonce, in, off, n, out, 1);
}

JNIEXPORT jint JNICALL Java_dev_kharden_crypto_JniCrypto_aeadOpen(JNIEnv *env, jclass cls, jlong ctx, jbyteArray nonce,
                                                                 jbyteArray in, jint off, jint n, jbyteArray out) {
    return aead(env, ctx, nonce, in, off, n, out, 0);
}

/* Whether init() found libcrypto's X25519 (EVP_PKEY derive on raw keys). */
JNIEXPORT jboolean JNICALL Java_dev_kharden_crypto_JniCrypto_x25519Available(JNIEnv *env, jclass cls) {
    return pkey_new_raw_private && pkey_new_raw_public && pkey_free && pkey_ctx_new && pkey_ctx_free
           && pkey_derive_init && pkey_derive_set_peer && pkey_derive ? JNI_TRUE : JNI_FALSE;
}

/*
 * X25519(scalar, u) of RFC 7748 into out (32 bytes each): libcrypto clamps the scalar and masks the
 * top bit of u. Returns 1; 0 when libcrypto refuses, which it does for an all-zero result (a
 * low-order u); -1 on bad lengths or a failed allocation.
 */
JNIEXPORT jint JNICALL Java_dev_kharden_crypto_JniCrypto_x25519(JNIEnv *env, jclass cls, jbyteArray scalar,
                                                               jbyteArray u, jbyteArray out) {
    unsigned char k[32], pub[32], shared[32];
    if ((*env)->GetArrayLength(env, scalar) != 32 || (*env)->GetArrayLength(env, u) != 32
        || (*env)->GetArrayLength(env, out) != 32) {
        return -1;
    }
    (*env)->GetByteArrayRegion(env, scalar, 0, 32, (jbyte *) k);
    (*env)->GetByteArrayRegion(env, u, 0, 32, (jbyte *) pub);
    int result = -1;
    void *priv = pkey_new_raw_private(EVP_PKEY_X25519, NULL, k, 32);
    void *peer = pkey_new_raw_public(EVP_PKEY_X25519, NULL, pub, 32);
    void *ctx = priv != NULL ? pkey_ctx_new(priv, NULL) : NULL;
    if (priv != NULL && peer != NULL && ctx != NULL) {
        size_t len = sizeof shared;
        result = pkey_derive_init(ctx) == 1 && pkey_derive_set_peer(ctx, peer) == 1
                 && pkey_derive(ctx, shared, &len) == 1 && len == 32 ? 1 : 0;
    }
    if (result == 1) {
        (*env)->SetByteArrayRegion(env, out, 0, 32, (const jbyte *) shared);
    }
    if (ctx != NULL) {
        pkey_ctx_free(ctx);
    }
    if (peer != NULL) {
        pkey_free(peer);
    }
    if (priv != NULL) {
        pkey_free(priv);
    }
    for (int i = 0; i < 32; i++) {
        ((volatile unsigned char *) k)[i] = 0;
        ((volatile unsigned char *) shared)[i] = 0;
    }
    return result;
}
