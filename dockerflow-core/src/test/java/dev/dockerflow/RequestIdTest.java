package dev.dockerflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@SuppressWarnings("try") // scopes opened only for their side effect
class RequestIdTest {

    @ParameterizedTest
    @ValueSource(strings = {"a", "abc-DEF_123.xyz:9", "6f1c0b1e-1d2a-4d7e-9c3f-2b1a0e9d8c7f",
            // W3C traceparent, AWS X-Amzn-Trace-Id, GCP X-Cloud-Trace-Context (python-dockerflow's own example)
            "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
            "Root=1-67891233-abcdef012345678912345678;Sampled=1",
            "105445aa7843bc8bf206b120001000/1;o=1", "a+b=c,d@e"})
    void acceptsOneTo128CharactersOfTheAllowedSet(String id) {
        assertThat(RequestId.isValid(id)).isTrue();
        assertThat(RequestId.resolve(id)).isEqualTo(id);
    }

    @Test
    void accepts128AndRejects129Characters() {
        assertThat(RequestId.isValid("a".repeat(128))).isTrue();
        assertThat(RequestId.isValid("a".repeat(129))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "a b", "a\nb", "a\rb", "a\"b", "a'b", "caf\u00e9", "<script>", "a>b", "a\u0000",
            "a\tb", "a\\b", "a{b}", "a%20b"})
    void rejectsAnythingElseAndMakesAUuid(String id) {
        assertThat(RequestId.isValid(id)).isFalse();
        String resolved = RequestId.resolve(id);
        assertThat(UUID.fromString(resolved).toString()).isEqualTo(resolved);
    }

    @Test
    void aReplacedIdIsLoggedAtDebugWithTheReasonAndNotTheValue() {
        try (LogCapture log = LogCapture.of("dockerflow.requestid")) {
            String id = RequestId.resolve("evil<script>");
            assertThat(log.messagesAt(java.util.logging.Level.FINE)).singleElement().satisfies(m -> assertThat(m)
                    .startsWith("Received request ID replaced by " + id + ": ")
                    .contains("U+003C at index 4")
                    .doesNotContain("script"));
            RequestId.resolve(null);
            assertThat(log.records()).hasSize(1);
        }
    }

    @Test
    void generatedIdsAreVersion4UuidsAndDistinct() {
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            String id = RequestId.generate();
            UUID uuid = UUID.fromString(id);
            assertThat(uuid.version()).isEqualTo(4);
            assertThat(uuid.variant()).isEqualTo(2);
            assertThat(RequestId.isValid(id)).isTrue();
            seen.add(id);
        }
        assertThat(seen).hasSize(10_000);
    }

    @Test
    void nullMakesANewIdEachTime() {
        assertThat(RequestId.resolve(null)).isNotEqualTo(RequestId.resolve(null));
    }

    @Test
    void boundIdIsCurrentUntilClosed() {
        assertThat(RequestId.current()).isEmpty();
        try (RequestId.Scope scope = RequestId.bind("first")) {
            assertThat(RequestId.current()).contains("first");
        }
        assertThat(RequestId.current()).isEmpty();
    }

    @Test
    void aScopeLeftOpenByAnAsynchronousRequestLastsOnlyUntilTheNextRequestOnTheThread() {
        RequestId.Scope leftOpen = RequestId.bind("async-1"); // its request finished on another thread
        assertThat(leftOpen).isNotNull();
        try (RequestId.Scope next = RequestId.bind("sync-1")) {
            assertThat(RequestId.current()).contains("sync-1");
        }
        // nothing is restored: the stale ID does not come back
        assertThat(RequestId.current()).isEmpty();
    }

    @Test
    void theIdIsPerThreadAndClosingOnAnotherThreadDoesNothing() throws Exception {
        RequestId.Scope scope = RequestId.bind("mine");
        try {
            assertThat(CompletableFuture.supplyAsync(() -> RequestId.current().isPresent()).get()).isFalse();
            CompletableFuture.runAsync(scope::close).get();
            assertThat(RequestId.current()).contains("mine");
        } finally {
            scope.close();
        }
        assertThat(RequestId.current()).isEmpty();
    }
}
