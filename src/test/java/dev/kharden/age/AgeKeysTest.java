package dev.kharden.age;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kharden.input.InputException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Identity files: what is read, and what a file that holds no age identity is said to be. */
class AgeKeysTest {
    @TempDir
    Path dir;

    private Path file(String text) throws Exception {
        return Files.writeString(dir.resolve("key.txt"), text);
    }

    @Test
    void readsIdentitiesPastCommentsAndBlankLines() throws Exception {
        X25519Identity a = X25519Identity.generate();
        X25519Identity b = X25519Identity.generate();
        Path f = file("# created: today\n# public key: " + a.recipient() + "\n\n" + a.encode() + "\n  " + b.encode() + "  \n");
        assertThat(AgeKeys.readIdentities(f)).hasSize(2);
    }

    @Test
    void aPassphraseProtectedIdentityIsNamedAsSuch() throws Exception {
        assertThatThrownBy(() -> AgeKeys.readIdentities(file("-----BEGIN AGE ENCRYPTED FILE-----\nYWdl\n-----END AGE ENCRYPTED FILE-----\n")))
                .isInstanceOf(InputException.class).hasMessageContaining("key.txt:1")
                .hasMessageContaining("passphrase-protected");
        assertThatThrownBy(() -> AgeKeys.readIdentities(file("age-encryption.org/v1\n-> scrypt abc 18\n")))
                .hasMessageContaining("passphrase-protected");
    }

    @Test
    void aCertificateIsNotTakenForAPassphraseProtectedIdentity() throws Exception {
        assertThatThrownBy(() -> AgeKeys.readIdentities(file("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n")))
                .isInstanceOf(InputException.class)
                .hasMessageContaining("a PEM CERTIFICATE, not an age identity")
                .hasMessageContaining("AGE-SECRET-KEY-1")
                .hasMessageNotContaining("passphrase");
    }

    @Test
    void anSshKeyIsNamed() throws Exception {
        assertThatThrownBy(() -> AgeKeys.readIdentities(file("-----BEGIN OPENSSH PRIVATE KEY-----\nb3Bl\n-----END OPENSSH PRIVATE KEY-----\n")))
                .hasMessageContaining("an SSH key");
        assertThatThrownBy(() -> AgeKeys.readIdentities(file("ssh-ed25519 AAAAC3Nza user@host\n")))
                .hasMessageContaining("an SSH key");
    }

    @Test
    void otherTextSaysWhatWasExpectedOnItsLine() throws Exception {
        assertThatThrownBy(() -> AgeKeys.readIdentities(file("# comment\nhello\n")))
                .hasMessageContaining("key.txt:2").hasMessageContaining("not an age identity");
        assertThatThrownBy(() -> AgeKeys.readIdentities(file("# only a comment\n")))
                .hasMessageContaining("no identity in this file");
    }

    @Test
    void aSecretKeyGivenAsRecipientIsRefusedWithoutEchoingIt() {
        String secret = X25519Identity.generate().encode();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AgeKeys.parseRecipient("--to", 0, secret))
                .isInstanceOf(dev.kharden.input.InputException.class)
                .hasMessageContaining("secret key").hasMessageNotContaining(secret.substring(15, 40));
        String typo = "age1lnsuhsld93vrztfjn5mgfj8s0c7207c8uk8hfz44nn55cfdh7a7s52kqsx";
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> AgeKeys.parseRecipient("--to", 0, typo))
                .hasMessageContaining(typo); // shown whole, so the typo can be found
    }
}
