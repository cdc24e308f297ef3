package dev.kharden.seal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/** A worker's failure reaches the waiting thread as itself: an IOException to throw, anything unchecked thrown as it is. */
class FailuresTest {
    @Test
    void eachKindOfFailureKeepsItsIdentity() {
        IOException io = new IOException("disk");
        assertThat(Failures.io(io)).isSameAs(io);
        IllegalArgumentException unchecked = new IllegalArgumentException("bug");
        assertThatThrownBy(() -> Failures.io(unchecked)).isSameAs(unchecked);
        OutOfMemoryError error = new OutOfMemoryError("heap");
        assertThatThrownBy(() -> Failures.io(error)).isSameAs(error);
        Exception checked = new Exception("other");
        assertThatThrownBy(() -> Failures.io(checked)).isInstanceOf(IllegalStateException.class).hasCause(checked);
    }
}
