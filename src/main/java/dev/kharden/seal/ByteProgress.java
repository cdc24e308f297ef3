package dev.kharden.seal;

/**
 * How far a long byte stream has got: the extra files a seal streams (a vmcore can be gigabytes), or
 * the bundle an unseal decrypts. Called on the working thread, after each buffer; {@code done} only
 * grows and ends at {@code total}.
 */
@FunctionalInterface
public interface ByteProgress {
    /** Reports nothing. */
    ByteProgress NONE = (done, total) -> {
    };

    void update(long done, long total);
}
