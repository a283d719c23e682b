package dev.quench.events.wire;

import java.util.List;

/**
 * {@code quench.topics.*}: the same for every process of one deployment.
 *
 * @param prefix            put before every topic name and consumer group id, so deployments can share a cluster;
 *                          empty unless set
 * @param partitions        partitions of each topic when created: the unit of ownership and of scale; 6 unless set
 * @param replicationFactor replicas of each partition when created; 1 unless set
 */
public record TopicSettings(String prefix, Integer partitions, Short replicationFactor) {

  public TopicSettings {
    prefix = prefix == null ? "" : prefix;
    partitions = partitions == null ? 6 : partitions;
    replicationFactor = replicationFactor == null ? 1 : replicationFactor;
    if (partitions < 1 || replicationFactor < 1) {
      throw new IllegalArgumentException("quench.topics.partitions and replication-factor must be at least 1, were "
          + partitions + " and " + replicationFactor);
    }
  }

  public Topics topics() {
    return Topics.withPrefix(prefix);
  }

  public List<TopicSpec> specs() {
    return TopicSpec.all(topics(), partitions, replicationFactor);
  }
}
