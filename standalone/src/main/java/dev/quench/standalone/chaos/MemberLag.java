package dev.quench.standalone.chaos;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;

/**
 * How far behind each member of a consumer group is: for the partitions it owns now, their last stable offset
 * ({@code read_committed}, so a worker's open transaction is not lag) minus the group's committed offset, added up;
 * by the member's client id. The same figure as the services' own {@code quench.kafka.consumer.lag}, split by who
 * owns the partition rather than by partition. A partition never committed on counts from offset 0: the run's
 * topics are new and nothing in them has expired.
 */
final class MemberLag implements AutoCloseable {

  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final Admin admin;

  MemberLag(String bootstrapServers) {
    this.admin = Admin.create(Map.of(
        AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        AdminClientConfig.CLIENT_ID_CONFIG, "quench-soak-lag",
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5_000,
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis()));
  }

  /**
   * The lag of each member of {@code group} that owns partitions, by client id; empty while the group has none.
   *
   * @throws IllegalStateException if the cluster did not answer
   */
  Map<String, Long> byMember(String group) {
    ConsumerGroupDescription description = get(admin.describeConsumerGroups(List.of(group)).describedGroups()
        .get(group));
    Map<TopicPartition, String> owners = new HashMap<>();
    for (MemberDescription member : description.members()) {
      member.assignment().topicPartitions().forEach(tp -> owners.put(tp, member.clientId()));
    }
    Map<String, Long> lag = new TreeMap<>();
    if (owners.isEmpty()) {
      return lag;
    }
    Map<TopicPartition, OffsetAndMetadata> committed = get(admin.listConsumerGroupOffsets(group)
        .partitionsToOffsetAndMetadata());
    Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
    owners.keySet().forEach(tp -> latest.put(tp, OffsetSpec.latest()));
    Map<TopicPartition, ListOffsetsResultInfo> ends = get(admin.listOffsets(latest,
        new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all());
    owners.forEach((tp, client) -> {
      OffsetAndMetadata at = committed.get(tp);
      long behind = Math.max(0, ends.get(tp).offset() - (at == null ? 0 : at.offset()));
      lag.merge(client, behind, Long::sum);
    });
    return lag;
  }

  /** The groups of the run's services whose members own partitions: {@code prefix} + each name. */
  static Set<String> groups(String topicPrefix) {
    return Set.of(topicPrefix + "quench-worker", topicPrefix + "quench-projector");
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(2));
  }

  private static <T> T get(KafkaFuture<T> future) {
    try {
      return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while asking for the lag", e);
    } catch (ExecutionException e) {
      throw new IllegalStateException("the cluster did not answer: " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException("the cluster did not answer within " + TIMEOUT.toSeconds() + " s", e);
    }
  }
}
