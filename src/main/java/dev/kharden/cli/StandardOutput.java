package dev.kharden.cli;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Standard output that remembers why a write failed. System.out swallows write errors, so a report
 * written to a full disk (or a key to /dev/full) was lost while kharden said nothing and exited 0;
 * written through this stream, the failure reaches the command's PrintWriter and is reported at the
 * end of the run ({@link Main#main}).
 */
final class StandardOutput extends FilterOutputStream {
    private IOException failure;

    StandardOutput() {
        this(new FileOutputStream(FileDescriptor.out));
    }

    StandardOutput(OutputStream out) {
        super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        try {
            out.write(b, off, len);
        } catch (IOException e) {
            failed(e);
        }
    }

    @Override
    public void write(int b) throws IOException {
        try {
            out.write(b);
        } catch (IOException e) {
            failed(e);
        }
    }

    @Override
    public void flush() throws IOException {
        try {
            out.flush();
        } catch (IOException e) {
            failed(e);
        }
    }

    private void failed(IOException e) throws IOException {
        if (failure == null) {
            failure = e;
        }
        throw e;
    }

    /** The first write error, or null. */
    IOException failure() {
        return failure;
    }

    /**
     * The exit code once the run is over: {@code code} when every write succeeded; otherwise a
     * usage/input error, said on {@code err} unless the reader went away (a broken pipe, as with
     * {@code kharden catalog | head}, is no news to the person who closed it) or the command has
     * already reported an error of its own.
     */
    int exitCode(int code, java.io.PrintWriter err) {
        if (failure == null) {
            return code;
        }
        String why = failure.getMessage() == null ? failure.toString() : failure.getMessage();
        if (!why.contains("Broken pipe") && code != ExitCodes.USAGE) { // a usage error has been said already
            err.println("kharden: cannot write standard output: " + why);
        }
        return ExitCodes.USAGE;
    }
}
