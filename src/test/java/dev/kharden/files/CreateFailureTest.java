package dev.kharden.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reasons writers give when their output cannot be created: the folder, never a temporary name. */
class CreateFailureTest {
    @TempDir
    Path tmp;

    @Test
    void eachFailureIsSaidInWordsAboutTheFolder() {
        Path gone = tmp.resolve("gone");
        String partial = ".out.123.partial";
        assertThat(CreateFailure.reason(gone, new NoSuchFileException(gone.resolve(partial).toString())))
                .isEqualTo("folder " + gone + " does not exist");
        // The folder is there but refuses new names (as /proc does): ENOENT all the same.
        assertThat(CreateFailure.reason(tmp, new NoSuchFileException(tmp.resolve(partial).toString())))
                .isEqualTo("cannot create files in folder " + tmp);
        assertThat(CreateFailure.reason(tmp, new AccessDeniedException(tmp.resolve(partial).toString())))
                .isEqualTo("permission denied in folder " + tmp);
        assertThat(CreateFailure.reason(tmp, new FileSystemException(tmp.resolve(partial).toString(), null,
                "Read-only file system"))).isEqualTo("read-only file system (folder " + tmp + ")");
        assertThat(CreateFailure.reason(tmp, new IOException("disk on fire"))).isEqualTo("disk on fire");
    }
}
