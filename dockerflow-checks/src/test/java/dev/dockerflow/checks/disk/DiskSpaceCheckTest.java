package dev.dockerflow.checks.disk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.dockerflow.CheckMessage;
import dev.dockerflow.Level;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Against the real file system under a temporary directory. Thresholds are set relative to
 * the free space measured just before, with a factor of two either side, so that other
 * processes writing meanwhile cannot change the outcome.
 */
class DiskSpaceCheckTest {

    @TempDir
    Path dir;

    private long usable;
    private double usablePercent;

    @BeforeEach
    void measure() throws Exception {
        FileStore store = Files.getFileStore(dir);
        usable = store.getUsableSpace();
        usablePercent = usable * 100.0 / store.getTotalSpace();
        assertThat(usable).as("free space where the test runs").isGreaterThan(1024L * 1024);
        assertThat(usablePercent).isBetween(0.5, 99.0);
    }

    private static CheckMessage single(List<CheckMessage> messages) {
        assertThat(messages).hasSize(1);
        return messages.getFirst();
    }

    @Test
    void enoughFreeSpaceIsHealthy() {
        assertThat(DiskSpaceCheck.of(dir, DiskSpaceThreshold.bytes(usable / 4), DiskSpaceThreshold.bytes(usable / 8)).run()).isEmpty();
        assertThat(DiskSpaceCheck.of(dir, DiskSpaceThreshold.percent(usablePercent / 2), DiskSpaceThreshold.percent(usablePercent / 4))
                .run()).isEmpty();
    }

    @Test
    void freeSpaceBelowTheWarningThresholdWarns() {
        CheckMessage m = single(DiskSpaceCheck.of(dir, DiskSpaceThreshold.bytes(usable * 2), DiskSpaceThreshold.bytes(usable / 2)).run());
        assertThat(m.id()).isEqualTo("dockerflow.health.W005");
        assertThat(m.level()).isEqualTo(Level.WARNING);
        assertThat(m.text()).startsWith("Disk space low under " + dir + ": ").contains(" free (", "% of ")
                .endsWith(", below the warning threshold of " + DiskSpaceCheck.size(usable * 2));

        double between = (usablePercent + 100) / 2;
        CheckMessage inPercent = single(DiskSpaceCheck.of(dir, DiskSpaceThreshold.percent(between),
                DiskSpaceThreshold.percent(usablePercent / 2)).run());
        assertThat(inPercent.id()).isEqualTo("dockerflow.health.W005");
        assertThat(inPercent.text()).endsWith(", below the warning threshold of " + DiskSpaceThreshold.percent(between));
    }

    @Test
    void freeSpaceBelowTheErrorThresholdFailsTheHeartbeat() {
        CheckMessage m = single(DiskSpaceCheck.of(dir, DiskSpaceThreshold.bytes(usable * 4), DiskSpaceThreshold.bytes(usable * 2)).run());
        assertThat(m.id()).isEqualTo("dockerflow.health.E018");
        assertThat(m.level()).isEqualTo(Level.ERROR);
        assertThat(m.text()).startsWith("Disk space critically low under " + dir + ": ")
                .endsWith(", below the error threshold of " + DiskSpaceCheck.size(usable * 2));

        double error = (usablePercent + 100) / 2;
        CheckMessage mixed = single(DiskSpaceCheck.of(dir, DiskSpaceThreshold.bytes(Long.MAX_VALUE / 2),
                DiskSpaceThreshold.percent(error)).run());
        assertThat(mixed.id()).as("a size and a percentage together").isEqualTo("dockerflow.health.E018");
    }

    @Test
    void aFileCountsForItsFileSystemAndAMissingPathCannotBeRead() throws Exception {
        Path file = Files.writeString(dir.resolve("data.bin"), "x");
        assertThat(DiskSpaceCheck.of(file, DiskSpaceThreshold.bytes(usable / 4), DiskSpaceThreshold.bytes(usable / 8)).run()).isEmpty();

        Path missing = dir.resolve("not-mounted");
        CheckMessage m = single(DiskSpaceCheck.of(missing).run());
        assertThat(m.id()).isEqualTo("dockerflow.health.E019");
        assertThat(m.level()).isEqualTo(Level.ERROR);
        assertThat(m.text()).isEqualTo("Cannot read disk space under " + missing + ": NoSuchFileException: " + missing);
    }

    @Test
    void thresholdsAreValidatedWithTheBadValueNamed() {
        assertThatThrownBy(() -> DiskSpaceCheck.of(dir, DiskSpaceThreshold.percent(5), DiskSpaceThreshold.percent(10)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the disk space warning threshold must be above the error threshold, got warning below 5% and error below 10%");
        assertThatThrownBy(() -> DiskSpaceCheck.of(dir, DiskSpaceThreshold.bytes(1024), DiskSpaceThreshold.bytes(1024)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("warning below 1.0 KiB and error below 1.0 KiB");
        assertThatThrownBy(() -> DiskSpaceThreshold.percent(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 0.0");
        assertThatThrownBy(() -> DiskSpaceThreshold.percent(100)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 100.0");
        assertThatThrownBy(() -> DiskSpaceThreshold.percent(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DiskSpaceThreshold.bytes(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 0");
        assertThatThrownBy(() -> DiskSpaceThreshold.parse("lots")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'lots'");
        assertThatThrownBy(() -> DiskSpaceThreshold.parse("10 parsecs")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'10 parsecs'");
        assertThatThrownBy(() -> DiskSpaceThreshold.parse("150%")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("150.0");
        assertThatThrownBy(() -> DiskSpaceThreshold.parse("0MB")).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("'0MB'");
        assertThatThrownBy(() -> DiskSpaceThreshold.parse("99999999999 TiB")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("too large");
    }

    @Test
    void thresholdsParseAsConfigurationWritesThem() {
        assertThat(DiskSpaceThreshold.parse("10%")).isEqualTo(DiskSpaceThreshold.percent(10));
        assertThat(DiskSpaceThreshold.parse(" 2.5 % ")).isEqualTo(DiskSpaceThreshold.percent(2.5));
        assertThat(DiskSpaceThreshold.parse("500MB")).isEqualTo(DiskSpaceThreshold.bytes(500_000_000));
        assertThat(DiskSpaceThreshold.parse("2 GiB")).isEqualTo(DiskSpaceThreshold.bytes(2L * 1024 * 1024 * 1024));
        assertThat(DiskSpaceThreshold.parse("1.5kib")).isEqualTo(DiskSpaceThreshold.bytes(1536));
        assertThat(DiskSpaceThreshold.parse("4096")).isEqualTo(DiskSpaceThreshold.bytes(4096));
        assertThat(DiskSpaceThreshold.parse("10%").toString()).isEqualTo("10%");
        assertThat(DiskSpaceThreshold.parse("2 GiB").toString()).isEqualTo("2.0 GiB");
        assertThat(DiskSpaceThreshold.percent(10).bytesOf(1000)).isEqualTo(100);
    }

    @Test
    void defaultsAndNames() {
        DiskSpaceCheck check = DiskSpaceCheck.of(dir);
        assertThat(check.name()).isEqualTo("check_disk_space").isEqualTo(DiskSpaceCheck.NAME);
        assertThat(check.withName("check_uploads_disk").name()).isEqualTo("check_uploads_disk");
        assertThat(check.path()).isEqualTo(dir);
        assertThat(check.toString()).isEqualTo("DiskSpaceCheck[check_disk_space, " + dir + ", warning below 10%, error below 5%]");
        assertThatThrownBy(() -> check.withName(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DiskSpaceCheck.of(null)).isInstanceOf(NullPointerException.class).hasMessage("path");
    }
}
