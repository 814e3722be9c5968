package dev.dockerflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class LevelAndMessageTest {

    @Test
    void levelsHaveTheContractsValuesAndTexts() {
        assertThat(Level.values()).extracting(Level::value).containsExactly(0, 10, 20, 30, 40, 50);
        assertThat(Level.values()).extracting(Level::text)
                .containsExactly("ok", "debug", "info", "warning", "error", "critical");
    }

    @Test
    void anyOtherLevelNumberRendersAsUnknown() {
        assertThat(Level.textOf(40)).isEqualTo("error");
        assertThat(Level.textOf(35)).isEqualTo("unknown");
        assertThat(Level.textOf(-1)).isEqualTo("unknown");
    }

    @Test
    void errorAndAboveFail() {
        assertThat(Level.WARNING.isFailure()).isFalse();
        assertThat(Level.ERROR.isFailure()).isTrue();
        assertThat(Level.CRITICAL.isFailure()).isTrue();
        assertThat(Level.INFO.max(Level.ERROR)).isEqualTo(Level.ERROR);
        assertThat(Level.CRITICAL.max(Level.ERROR)).isEqualTo(Level.CRITICAL);
    }

    @Test
    void messageFactoriesSetLevelIdAndText() {
        CheckMessage m = CheckMessage.warning("acme.health.W001", "slow").withHint("add capacity");
        assertThat(m.level()).isEqualTo(Level.WARNING);
        assertThat(m.id()).isEqualTo("acme.health.W001");
        assertThat(m.text()).isEqualTo("slow");
        assertThat(m.hint()).contains("add capacity");
        assertThat(CheckMessage.debug("a", "b").level()).isEqualTo(Level.DEBUG);
        assertThat(CheckMessage.info("a", "b").level()).isEqualTo(Level.INFO);
        assertThat(CheckMessage.error("a", "b").level()).isEqualTo(Level.ERROR);
        assertThat(CheckMessage.critical("a", "b").level()).isEqualTo(Level.CRITICAL);
        assertThat(CheckMessage.error("a", "b").hint()).isEmpty();
    }

    @Test
    void messageTextAndHintAreRedactedWhenMade() {
        CheckMessage m = CheckMessage.error("dockerflow.health.E001",
                        "Could not connect to postgresql://app:hunter2@db:5432/app")
                .withHint("check ?password=hunter2");
        assertThat(m.text()).isEqualTo("Could not connect to postgresql://app:***@db:5432/app");
        assertThat(m.hint()).contains("check ?password=***");
        assertThat(m.toString()).doesNotContain("hunter2");
    }

    @Test
    void aMessageNeedsALevelAboveOkAndAnId() {
        assertThatThrownBy(() -> CheckMessage.of(Level.OK, "x", "y"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("OK");
        assertThatThrownBy(() -> CheckMessage.error(" ", "y"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("id");
        assertThatThrownBy(() -> CheckMessage.error(null, "y")).isInstanceOf(NullPointerException.class);
    }
}
