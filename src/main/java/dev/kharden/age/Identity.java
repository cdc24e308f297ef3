package dev.kharden.age;

import java.util.List;

/**
 * Something that can unwrap a file key from a header's stanzas (a private key, a passphrase).
 * The contract follows age: stanzas of other types are ignored; a stanza of this type that cannot
 * be decrypted means "not for me" (return null: the caller tries the next identity); a malformed
 * stanza of this type is fatal ({@link AgeException.Kind#HEADER}), never silently skipped, so that
 * a parsing problem is not hidden behind "no identity matches".
 */
public interface Identity {
    /** The 16-byte file key, or null when no stanza is addressed to this identity. */
    byte[] unwrap(List<Stanza> stanzas) throws AgeException;
}
