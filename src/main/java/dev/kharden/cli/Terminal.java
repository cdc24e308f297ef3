package dev.kharden.cli;

import dev.kharden.files.AtomicFile;
import dev.kharden.files.CreateFailure;
import dev.kharden.report.Style;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * How commands reach the person: whether to colour (a terminal, NO_COLOR unset, or --color), and
 * writing a whole output either to the command's writer or atomically to a file (a temporary file
 * beside it, then a rename), so a failed run never leaves a half-written report.
 */
final class Terminal {
    enum ColorMode { auto, always, never }

    private Terminal() {
    }

    static Style style(ColorMode mode, boolean toFile) {
        return new Style(switch (mode) {
            case always -> true;
            case never -> false;
            case auto -> !toFile && System.getenv("NO_COLOR") == null && System.console() != null
                    && System.console().isTerminal();
        });
    }

    /** Renders with {@code body} and sends it to {@code file} (atomically) or to {@code out} (also for "-o -"). */
    static void emit(Path file, PrintWriter out, Consumer<PrintWriter> body) {
        if (file == null || Args.isDash(file)) {
            body.accept(out);
            out.flush();
            return;
        }
        StringWriter buf = new StringWriter();
        try (PrintWriter pw = new PrintWriter(buf)) {
            body.accept(pw);
        }
        writeAtomically(file, buf.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Writes {@code file} through {@link AtomicFile}; a failure names the folder, not the temporary file. */
    static void writeAtomically(Path file, byte[] data) {
        try {
            AtomicFile.write(file, data);
        } catch (IOException e) {
            Path dir = file.toAbsolutePath().getParent();
            throw new UsageException("cannot write " + file + ": "
                    + (dir == null ? e.getMessage() : CreateFailure.reason(dir, e)));
        }
    }
}
