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
    @ValueSource(strings = {"a", "abc-DEF_123.xyz:9", "6f1c0b1e-1d2a-4d7e-9c3f-2b1a0e9d8c7f"})
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
    @ValueSource(strings = {"", " ", "a b", "a\nb", "a\rb", "a/b", "a\"b", "caf\u00e9", "a;b", "a,b", "<script>", "a\u0000"})
    void rejectsAnythingElseAndMakesAUuid(String id) {
        assertThat(RequestId.isValid(id)).isFalse();
        String resolved = RequestId.resolve(id);
        assertThat(UUID.fromString(resolved).toString()).isEqualTo(resolved);
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
