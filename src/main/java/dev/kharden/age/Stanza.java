package dev.kharden.age;

import java.util.List;

/**
 * One recipient stanza of an age header: its arguments (the first is the recipient type, e.g.
 * {@code X25519}) and its decoded body. Identities read stanzas; recipients make them.
 */
public record Stanza(List<String> args, byte[] body) {
    public Stanza {
        args = List.copyOf(args);
        body = body.clone();
    }

    /** The recipient type: the first argument. */
    public String type() {
        return args.getFirst();
    }

    @Override
    public byte[] body() {
        return body.clone();
    }
}
