package dev.kharden.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ExitCleanup#exit}, in child JVMs running {@link Probe}. */
class ExitCleanupTest {
    @TempDir
    Path tmp;

    /** The child: {@code Probe MODE FILE}. */
    public static final class Probe {
        public static void main(String[] args) throws IOException {
            Path file = Path.of(args[1]);
            switch (args[0]) {
                case "halt" -> {
                    // a hook kharden did not register through ExitCleanup does not run: the JVM halts
                    Runtime.getRuntime().addShutdownHook(new Thread(() -> write(file)));
                    ExitCleanup.register("closed", () -> write(file)).close();
                    System.out.print("unflushed");
                    ExitCleanup.exit(3);
                }
                case "hook" -> {
                    ExitCleanup.register("open", () -> write(file)); // never closed: must run
                    ExitCleanup.exit(0);
                }
                case "signal" -> {
                    // a signal's shutdown starts while the command is still finishing: its hook must
                    // complete, and the process end with the shutdown's status, not the command's
                    ExitCleanup cleanup = ExitCleanup.register("slow", () -> {
                        try {
                            Thread.sleep(500);
                        } catch (InterruptedException e) {
                            return;
                        }
                        write(file);
                    });
                    Thread.ofPlatform().start(() -> System.exit(130));
                    try {
                        Thread.sleep(150);
                    } catch (InterruptedException e) {
                        return;
                    }
                    cleanup.close();
                    ExitCleanup.exit(2);
                }
                case "delete" -> {
                    Files.writeString(file, "x");
                    ExitCleanup.exitWorkLeft();
                    file.toFile().deleteOnExit();
                    ExitCleanup.exit(0);
                }
                default -> throw new IllegalArgumentException(args[0]);
            }
        }

        private static void write(Path file) {
            try {
                Files.writeString(file, "ran");
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }

    private record Ran(int code, String out) {
    }

    private Ran run(String mode, Path file) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Probe.class.getName(), mode,
                file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Ran(p.exitValue(), out);
    }

    @Test
    void withNothingLeftToRunItHaltsWithTheCodeAndTheOutputFlushed() throws Exception {
        Path marker = tmp.resolve("marker");
        Ran r = run("halt", marker);
        assertThat(r.code()).isEqualTo(3);
        assertThat(r.out()).isEqualTo("unflushed");
        assertThat(marker).doesNotExist();
    }

    @Test
    void anOpenCleanupStillRuns() throws Exception {
        Path marker = tmp.resolve("marker");
        assertThat(run("hook", marker).code()).isZero();
        assertThat(marker).hasContent("ran");
    }

    @Test
    void anExitDuringAShutdownWaitsForTheCleanupToFinish() throws Exception {
        Path marker = tmp.resolve("marker");
        assertThat(run("signal", marker).code()).isEqualTo(130);
        assertThat(marker).hasContent("ran");
    }

    @Test
    void filesToDeleteOnExitAreDeleted() throws Exception {
        Path file = tmp.resolve("temp");
        assertThat(run("delete", file).code()).isZero();
        assertThat(file).doesNotExist();
    }
}
