package dev.kharden.age;

import java.io.IOException;

/**
 * Why an age file could not be decrypted, typed by what the caller must decide. The kinds follow the
 * age test kit's {@code expect:} values, so a wrong key ({@link Kind#NO_MATCH}) is never confused
 * with tampering ({@link Kind#HMAC}, {@link Kind#PAYLOAD}) or with a file that is not age at all
 * ({@link Kind#HEADER}, {@link Kind#ARMOR}).
 *
 * <p>It is an {@link IOException} because payload failures surface from {@code InputStream.read}
 * in the middle of a stream; callers that release plaintext must treat everything read before a
 * {@link Kind#PAYLOAD} failure as unauthenticated.
 */
public final class AgeException extends IOException {
    /** The failure classes of the age test kit. */
    public enum Kind {
        /** The ASCII armor is malformed (strict PEM, canonical base64). */
        ARMOR("armor failure"),
        /** The header does not parse, or an identity found a malformed stanza addressed to it. */
        HEADER("header failure"),
        /** The header parses but none of the given identities can unwrap the file key. */
        NO_MATCH("no identity matches"),
        /** A file key was unwrapped but the header MAC does not match: the header was altered. */
        HMAC("header MAC mismatch"),
        /** The payload is truncated, altered, or has trailing data. */
        PAYLOAD("payload authentication failed");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        /** A short phrase for messages ("no identity matches", ...). */
        public String label() {
            return label;
        }
    }

    private final Kind kind;

    public AgeException(Kind kind, String detail) {
        super(kind.label() + ": " + detail);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
