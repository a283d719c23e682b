package dev.quench.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class ServerPropertiesTests {

  private final BrokerSettings settings = BrokerSettings.of(Path.of("/var/quench"), 29092);

  @Test
  void runsOneCombinedNodeAdvertisedOnLocalhost() {
    Map<String, String> properties = ServerProperties.of(settings, Path.of("/var/quench/kafka/data"));

    assertThat(properties)
        .containsEntry("process.roles", "broker,controller")
        .containsEntry("node.id", "1")
        .containsEntry("listeners", "PLAINTEXT://localhost:29092,CONTROLLER://localhost:29093")
        .containsEntry("advertised.listeners", "PLAINTEXT://localhost:29092")
        .containsEntry("controller.quorum.bootstrap.servers", "localhost:29093")
        .containsEntry("log.dirs", Path.of("/var/quench/kafka/data").toString())
        .containsEntry("transaction.state.log.replication.factor", "1")
        .containsEntry("transaction.state.log.min.isr", "1")
        .containsEntry("offsets.topic.replication.factor", "1")
        .containsEntry("auto.create.topics.enable", "false");
  }

  @Test
  void aNodeOfAClusterNamesEveryVoterAndKeepsEveryWriteOnTwoOfThreeReplicas() {
    Quorum quorum = Quorum.member(2, Map.of(1, 29093, 2, 29095, 3, 29097), "cluster-id");
    BrokerSettings node = BrokerSettings.of(Path.of("/var/quench"), 29094).withControllerPort(29095)
        .withQuorum(quorum);

    Map<String, String> properties = ServerProperties.of(node, Path.of("data"));

    assertThat(properties)
        .containsEntry("node.id", "2")
        .containsEntry("controller.quorum.voters", "1@localhost:29093,2@localhost:29095,3@localhost:29097")
        .doesNotContainKey("controller.quorum.bootstrap.servers")
        .containsEntry("default.replication.factor", "3")
        .containsEntry("min.insync.replicas", "2")
        .containsEntry("transaction.state.log.replication.factor", "3")
        .containsEntry("transaction.state.log.min.isr", "2")
        .containsEntry("offsets.topic.replication.factor", "3")
        .containsEntry("unclean.leader.election.enable", "false");
  }

  @Test
  void extraPropertiesReplaceTheGeneratedOnes() {
    BrokerSettings tuned =
        settings.withExtraBrokerProperties(Map.of("num.partitions", "6", "log.retention.hours", "1"));

    Map<String, String> properties = ServerProperties.of(tuned, Path.of("data"));

    assertThat(properties).containsEntry("num.partitions", "6").containsEntry("log.retention.hours", "1");
  }

  @Test
  void renderedFileReadsBackAsTheSameProperties() throws IOException {
    Map<String, String> properties = new LinkedHashMap<>();
    properties.put("log.dirs", "C:\\quench data\\kafka");
    properties.put("sasl.jaas.config", " leading space = and: colon # hash");
    properties.put("ssl.keystore.location", "/home/zoë/ключ\n.jks");

    Properties loaded = new Properties();
    loaded.load(new ByteArrayInputStream(ServerProperties.render(properties).getBytes(StandardCharsets.ISO_8859_1)));

    assertThat(loaded).containsExactlyInAnyOrderEntriesOf(properties);
  }
}
