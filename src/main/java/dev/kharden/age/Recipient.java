package dev.kharden.age;

/** Something a file key can be wrapped to, producing one stanza (a public key). */
public interface Recipient {
    Stanza wrap(byte[] fileKey);
}
