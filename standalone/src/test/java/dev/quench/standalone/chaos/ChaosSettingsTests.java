package dev.quench.standalone.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ChaosSettingsTests {

  @Test
  void bindsArgumentsLikeAnySpringProperty() {
    ChaosSettings settings = ChaosSettings.from("--duration=10m", "--seed=42", "--rate=3.5", "--kill-every=4s",
        "--clients=2", "--big-batch=2000", "--big-batch-rate=100", "--dir=/tmp/chaos-x");

    assertThat(settings.duration()).isEqualTo(Duration.ofMinutes(10));
    assertThat(settings.seed()).isEqualTo(42);
    assertThat(settings.rate()).isEqualTo(3.5);
    assertThat(settings.killEvery()).isEqualTo(Duration.ofSeconds(4));
    assertThat(settings.clients()).isEqualTo(2);
    assertThat(settings.bigBatch()).isEqualTo(2000);
    assertThat(settings.bigBatchRate()).isEqualTo(100);
    assertThat(settings.dir()).isEqualTo(Path.of("/tmp/chaos-x"));
  }

  @Test
  void defaultsToTheLongRunInADirectoryOfItsOwn() {
    ChaosSettings settings = ChaosSettings.from();

    assertThat(settings.duration()).isEqualTo(Duration.ofMinutes(5));
    assertThat(settings.killEvery()).isEqualTo(Duration.ofSeconds(8));
    assertThat(settings.workerConcurrency()).isEqualTo(2);
    assertThat(settings.bigBatch()).isEqualTo(10_000);
    assertThat(settings.bigBatchRate()).isEqualTo(100);
    assertThat(settings.dir().getFileName().toString()).startsWith("quench-chaos-");
  }

  @Test
  void refusesSettingsThatCannotMakeARun() {
    assertThatThrownBy(() -> ChaosSettings.from("--rate=0")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ChaosSettings.from("--kill-every=0s")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ChaosSettings.from("--big-batch=-1")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ChaosSettings.from("--big-batch=100001"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ChaosSettings.from("--big-batch-rate=0")).isInstanceOf(IllegalArgumentException.class);
  }
}
