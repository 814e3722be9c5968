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
}
