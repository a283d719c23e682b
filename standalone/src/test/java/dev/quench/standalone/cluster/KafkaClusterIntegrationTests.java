package dev.quench.standalone.cluster;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class KafkaClusterIntegrationTests {

  @TempDir
  Path dir;

  @Test
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void aKilledLeaderIsReplacedAndComesBackInSync() throws Exception {
    try (KafkaCluster cluster = KafkaCluster.start(dir, 3, List.of("-Xms64m", "-Xmx256m", "-XX:+UseSerialGC",
        "-XX:TieredStopAtLevel=1"))) {
      try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()))) {
        admin.createTopics(List.of(new NewTopic("t", 1, (short) 3).configs(Map.of("min.insync.replicas", "2"))))
            .all().get(30, SECONDS);
      }
      await().atMost(30, SECONDS).until(() -> cluster.fullyReplicated(List.of("t")));
      int leader = cluster.leaderOf("t", 0);
      int controller = cluster.activeController();
      assertThat(cluster.nodeIds()).contains(leader, controller);

      cluster.kill(leader);
      await().atMost(60, SECONDS).ignoreExceptions()
          .until(() -> cluster.leaderOf("t", 0) != -1 && cluster.leaderOf("t", 0) != leader);
      try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
          ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(), ProducerConfig.ACKS_CONFIG, "all"),
          new StringSerializer(), new StringSerializer())) {
        producer.send(new ProducerRecord<>("t", "k", "written with one node down")).get(30, SECONDS);
      }

      cluster.restart(leader);
      await().atMost(60, SECONDS).ignoreExceptions().until(() -> cluster.fullyReplicated(List.of("t")));
      assertThat(cluster.isRunning(leader)).isTrue();
    }
  }
}
