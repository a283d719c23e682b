package dev.quench.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BrokerSettingsTests {

  @Test
  void controllerListensNextToTheBrokerUnlessToldOtherwise() {
    BrokerSettings settings = BrokerSettings.of(Path.of("data"));

    assertThat(settings.port()).isEqualTo(9092);
    assertThat(settings.controllerPort()).isEqualTo(9093);
    assertThat(settings.withControllerPort(7000).controllerPort()).isEqualTo(7000);
    assertThat(settings.startTimeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(settings.bootstrapServers()).isEqualTo("localhost:9092");
    assertThat(settings.kafkaDir()).isEqualTo(Path.of("data").toAbsolutePath().resolve("kafka"));
  }

  @Test
  void rejectsPortsThatCannotWork() {
    assertThatIllegalArgumentException().isThrownBy(() -> BrokerSettings.of(Path.of("data"), 65535))
        .withMessageContaining("controllerPort");
    assertThatIllegalArgumentException().isThrownBy(() -> BrokerSettings.of(Path.of("data"), 0));
    assertThatIllegalArgumentException()
        .isThrownBy(() -> BrokerSettings.of(Path.of("data"), 9092).withControllerPort(9092));
  }

  @Test
  void aNodeOfAClusterListensAsAControllerWhereItsQuorumSays() {
    Quorum quorum = Quorum.member(1, Map.of(1, 9093, 2, 9095, 3, 9097), "cluster-id");

    assertThat(BrokerSettings.of(Path.of("data")).withQuorum(quorum).quorum().size()).isEqualTo(3);
    assertThatIllegalArgumentException()
        .isThrownBy(() -> BrokerSettings.of(Path.of("data")).withControllerPort(9099).withQuorum(quorum))
        .withMessageContaining("9099");
    assertThatIllegalArgumentException()
        .isThrownBy(() -> Quorum.member(4, Map.of(1, 9093, 2, 9095, 3, 9097), "cluster-id"))
        .withMessageContaining("not among the voters");
  }

  @Test
  void rejectsOverridesThatWouldNotMatchTheFormattedStorage() {
    BrokerSettings settings = BrokerSettings.of(Path.of("data"));

    assertThatIllegalArgumentException()
        .isThrownBy(() -> settings.withExtraBrokerProperties(Map.of("log.dirs", "/elsewhere")))
        .withMessageContaining("log.dirs");
    assertThat(settings.withExtraBrokerProperties(Map.of("log.retention.hours", "1")).extraBrokerProperties())
        .containsEntry("log.retention.hours", "1");
  }
}
