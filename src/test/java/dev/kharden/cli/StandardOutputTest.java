package dev.kharden.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A failed write to standard output changes the exit code and is said, except for a closed pipe. */
class StandardOutputTest {
    private static OutputStream failing(String why) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw new IOException(why);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                throw new IOException(why);
            }
        };
    }

    private static String[] run(OutputStream target, int code) {
        StandardOutput stdout = new StandardOutput(target);
        PrintWriter out = new PrintWriter(new OutputStreamWriter(stdout, StandardCharsets.UTF_8));
        out.println("a report");
        out.flush();
        StringWriter err = new StringWriter();
        int exit = stdout.exitCode(code, new PrintWriter(err, true));
        return new String[] {Integer.toString(exit), err.toString()};
    }

    @Test
    void aFullDiskIsAnErrorNotASuccess() {
        String[] r = run(failing("No space left on device"), ExitCodes.OK);
        assertThat(r[0]).isEqualTo(Integer.toString(ExitCodes.USAGE));
        assertThat(r[1]).isEqualTo("kharden: cannot write standard output: No space left on device\n");
        assertThat(run(failing("No space left on device"), ExitCodes.FINDINGS)[0]).isEqualTo(Integer.toString(ExitCodes.USAGE));
    }

    @Test
    void aClosedPipeIsQuietAndAGoodWriteChangesNothing() {
        String[] r = run(failing("Broken pipe"), ExitCodes.OK);
        assertThat(r[0]).isEqualTo(Integer.toString(ExitCodes.USAGE));
        assertThat(r[1]).isEmpty();
        java.io.ByteArrayOutputStream ok = new java.io.ByteArrayOutputStream();
        assertThat(run(ok, ExitCodes.FINDINGS)).containsExactly(Integer.toString(ExitCodes.FINDINGS), "");
        assertThat(ok.toString(StandardCharsets.UTF_8)).isEqualTo("a report\n");
    }

    @Test
    void keygenToAFullDiskSavesNothingAndSaysSo() {
        StandardOutput stdout = new StandardOutput(failing("No space left on device"));
        PrintWriter out = new PrintWriter(new OutputStreamWriter(stdout, StandardCharsets.UTF_8));
        StringWriter err = new StringWriter();
        int code = Main.run(new String[] {"keygen"}, out, new PrintWriter(err, true));
        assertThat(code).isEqualTo(ExitCodes.USAGE);
        assertThat(err.toString()).contains("cannot write the private key").doesNotContain("Public key");
    }
}
