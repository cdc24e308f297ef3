package dev.kharden.policy;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.kharden.input.InputException;
import dev.kharden.input.TextSource;

/** Waiver files of any content give waivers or an InputException naming the file and line, nothing else. */
class WaiverFileFuzz {
    @FuzzTest(maxDuration = "15s")
    void lineAndJsonForms(FuzzedDataProvider data) {
        boolean json = data.consumeBoolean();
        byte[] raw = data.consumeRemainingAsBytes();
        try {
            if (json) {
                WaiverFile.json("w.json", new String(raw, java.nio.charset.StandardCharsets.UTF_8));
            } else {
                WaiverFile.lines(TextSource.fromBytes("w.txt", raw));
            }
        } catch (InputException e) {
            if (e.getMessage() == null || !e.getMessage().startsWith("w.")) {
                throw new AssertionError("error does not name the file: " + e.getMessage());
            }
        }
    }
}
