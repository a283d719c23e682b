package dev.quench.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.junit.jupiter.api.Test;

class KafkaClientsTests {

  @Test
  void aGroupMemberReadsCommittedRecordsAndCommitsOnlyInItsTransactionsWhateverTheBaseSays() {
    Map<String, Object> config = new HashMap<>(Map.of(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, true,
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted", ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000));

    KafkaClients.groupMember(config, "p.quench-projector", "quench-projector-1");

    assertThat(config).containsEntry(ConsumerConfig.GROUP_ID_CONFIG, "p.quench-projector")
        .containsEntry(ConsumerConfig.CLIENT_ID_CONFIG, "quench-projector-1")
        .containsEntry(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false)
        .containsEntry(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")
        .containsEntry(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest")
        .containsEntry(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName())
        .containsEntry(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "classic")
        // What the service chose for itself stays.
        .containsEntry(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
  }
}
