package dev.kharden.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The modsig workloads of the start-up cache's training run succeed offline, so they load the real paths. */
class ModsigTrainingTest {
    @TempDir
    Path dir;

    @Test
    void trainingWorkloadsSignInspectAndVerifyAValidModule() throws Exception {
        List<String[]> runs = ModsigVerifyCommand.trainingWorkloads(dir);
        assertThat(runs).isNotEmpty();
        for (String[] args : runs) {
            CliRun r = CliRun.of(args);
            // verify of the signed module plus the unsigned one, or of the whole folder, exits 1; the rest 0
            boolean mixed = args[1].equals("verify") && (args.length == 6 || Path.of(args[args.length - 1]).equals(dir));
            assertThat(r.code()).as(String.join(" ", args) + "\n" + r.out() + r.err()).isEqualTo(mixed ? 1 : 0);
            if (args[1].equals("verify")) {
                assertThat(r.out()).contains("valid");
            }
        }
        CliRun resigned = CliRun.of("modsig", "verify", "--cert", dir.resolve("train-cert.pem").toString(),
                dir.resolve("train-resigned.ko").toString());
        assertThat(resigned.code()).as(resigned.out() + resigned.err()).isZero();
    }
}
