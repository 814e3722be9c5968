package dev.dockerflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class CheckRegistryTest {

    @Test
    void keepsRegistrationOrderAndTimeouts() {
        CheckRegistry r = CheckRegistry.builder()
                .add("zeta", List::of)
                .add("alpha", Duration.ofMillis(250), List::of)
                .add("mid", List::of)
                .build();
        assertThat(r.names()).containsExactly("zeta", "alpha", "mid");
        assertThat(r.size()).isEqualTo(3);
        assertThat(r.registrations().get(0).timeout()).isEmpty();
        assertThat(r.registrations().get(1).timeout()).contains(Duration.ofMillis(250));
    }

    @Test
    void namesAreRequiredAndUnique() {
        assertThatThrownBy(() -> CheckRegistry.builder().add(" ", List::of))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("name");
        assertThatThrownBy(() -> CheckRegistry.builder().add(null, List::of)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> CheckRegistry.builder().add("db", List::of).add("db", List::of))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'db'");
        assertThatThrownBy(() -> Dockerflow.builder().check("db", List::of).check("db", List::of))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void timeoutsMustBeAtLeastOneMillisecond() {
        assertThatThrownBy(() -> CheckRegistry.builder().add("db", Duration.ZERO, List::of))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("db");
        assertThatThrownBy(() -> CheckRegistry.builder().add("db", Duration.ofNanos(10), List::of))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void registriesAreIndependentInstances() {
        CheckRegistry.Builder b = CheckRegistry.builder().add("a", List::of);
        CheckRegistry first = b.build();
        b.add("b", List::of);
        assertThat(first.names()).containsExactly("a");
        assertThat(b.build().names()).containsExactly("a", "b");
        assertThat(CheckRegistry.empty().size()).isZero();
        assertThatThrownBy(() -> first.registrations().add(null)).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void addAllKeepsNamesAndTimeouts() {
        CheckRegistry source = CheckRegistry.builder().add("x", Duration.ofMillis(5), List::of).build();
        CheckRegistry copy = CheckRegistry.builder().add("first", List::of).addAll(source).build();
        assertThat(copy.names()).containsExactly("first", "x");
        assertThat(copy.registrations().get(1).timeout()).contains(Duration.ofMillis(5));
    }

    @Test
    void optionsAreKeptPerCheckAndCopiedByAddAll() {
        CheckOptions optional = CheckOptions.builder()
                .timeout(Duration.ofMillis(700)).cacheFor(Duration.ofSeconds(10)).nonCritical().build();
        CheckRegistry r = CheckRegistry.builder()
                .add("plain", List::of)
                .add("timed", Duration.ofMillis(250), List::of)
                .add("optional", optional, List::of)
                .build();
        assertThat(r.registrations().get(0).options()).isEqualTo(CheckOptions.defaults());
        assertThat(r.registrations().get(1).options().timeout()).contains(Duration.ofMillis(250));
        assertThat(r.registrations().get(1).options().nonCritical()).isFalse();
        assertThat(r.registrations().get(2).options()).isEqualTo(optional);
        assertThat(r.registrations().get(2).timeout()).contains(Duration.ofMillis(700));
        CheckRegistry copy = CheckRegistry.builder().addAll(r).build();
        assertThat(copy.registrations().get(2).options()).isEqualTo(optional);
        Dockerflow.builder().check("optional", optional, List::of).build();
        assertThatThrownBy(() -> CheckRegistry.builder().add("x", (CheckOptions) null, List::of))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("options");
    }

    @Test
    void checkOptionsRejectOutOfRangeValuesNamingThem() {
        assertThat(CheckOptions.builder().build()).isSameAs(CheckOptions.defaults());
        assertThat(CheckOptions.defaults().timeout()).isEmpty();
        assertThat(CheckOptions.defaults().cacheFor()).isEmpty();
        assertThat(CheckOptions.defaults().nonCritical()).isFalse();
        assertThat(CheckOptions.builder().cacheFor(Duration.ZERO).build().cacheFor()).contains(Duration.ZERO);
        assertThat(CheckOptions.builder().nonCritical().build().toString()).contains("non-critical");
        assertThatThrownBy(() -> CheckOptions.builder().timeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT0S");
        assertThatThrownBy(() -> CheckOptions.builder().timeout(Duration.ofHours(2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT2H");
        assertThatThrownBy(() -> CheckOptions.builder().cacheFor(Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-0.001");
        assertThatThrownBy(() -> CheckOptions.builder().cacheFor(Duration.ofMinutes(61)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PT1H1M");
    }

    @Test
    void aResultsLevelIsTheHighestOfItsMessagesAndACachedCopyIsMarked() {
        CheckResult none = CheckResult.completed("db", List.of(), Duration.ofMillis(3));
        assertThat(none.level()).isEqualTo(Level.OK);
        CheckResult mixed = CheckResult.of("db", CheckResult.Outcome.COMPLETED,
                List.of(CheckMessage.info("x.I1", "i"), CheckMessage.critical("x.C1", "c"), CheckMessage.warning("x.W1", "w")),
                Duration.ofMillis(3));
        assertThat(mixed.level()).isEqualTo(Level.CRITICAL);
        assertThat(mixed.cached()).isFalse();
        CheckResult cached = mixed.asCached();
        assertThat(cached.cached()).isTrue();
        assertThat(cached.level()).isEqualTo(Level.CRITICAL);
        assertThat(cached.messages()).isEqualTo(mixed.messages());
        assertThat(cached.duration()).isEqualTo(mixed.duration());
        assertThat(cached).isNotEqualTo(mixed);
        assertThat(cached.asCached()).isSameAs(cached);
        assertThat(cached.toString()).contains("cached");
        assertThatThrownBy(() -> mixed.messages().add(CheckMessage.info("x", "y")))
                .isInstanceOf(UnsupportedOperationException.class);
    }
}
