package dev.dockerflow.checks.support;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

class ServicesTest {

    private static final boolean CI = "true".equalsIgnoreCase(System.getenv("CI"));

    @Test
    void missingServiceSkipsLocallyAndFailsOnCi() {
        int port = Ports.closed();
        assertThatThrownBy(() -> Services.assumeReachable("Nothing", Services.HOST, port))
                .isInstanceOf(CI ? AssertionFailedError.class : TestAbortedException.class)
                .hasMessageContaining("Nothing is not reachable at " + Services.HOST + ":" + port);
    }

    @Test
    void reachableServicePasses() throws Exception {
        try (BlackholeServer listener = BlackholeServer.start()) {
            assertThatCode(() -> Services.assumeReachable("Listener", Services.HOST, listener.port()))
                    .doesNotThrowAnyException();
        }
    }
}
