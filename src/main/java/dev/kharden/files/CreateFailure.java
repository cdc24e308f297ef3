package dev.kharden.files;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Says in words why a file or folder could not be created in {@code dir}. Writers create a hidden
 * temporary name first and rename it into place, so the JDK's message names that temporary path,
 * which means nothing to the person who asked for the output: this names the folder instead.
 */
public final class CreateFailure {
    private CreateFailure() {
    }

    /** The reason, e.g. "folder /srv/out does not exist" or "permission denied in folder /srv". */
    public static String reason(Path dir, IOException e) {
        String where = "folder " + dir;
        return switch (e) {
            case NoSuchFileException n -> Files.isDirectory(dir) ? "cannot create files in " + where
                    : where + " does not exist";
            case AccessDeniedException a -> "permission denied in " + where;
            case FileSystemException f when f.getReason() != null ->
                    f.getReason().toLowerCase(Locale.ROOT) + " (" + where + ")";
            default -> e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        };
    }
}
