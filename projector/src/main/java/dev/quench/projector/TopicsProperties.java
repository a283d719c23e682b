package dev.quench.projector;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The topics every quench process shares; the same keys configure the api and the worker.
 *
 * @param prefix            put before every topic name (and the projector's default group id), so several
 *                          deployments can share a cluster
 * @param partitions        partitions of each topic when this process has to create it; existing topics keep theirs
 * @param replicationFactor replicas of each topic when this process has to create it
 */
@ConfigurationProperties("quench.topics")
public record TopicsProperties(String prefix, @DefaultValue("6") int partitions,
                               @DefaultValue("1") short replicationFactor) {

  public TopicsProperties {
    prefix = prefix == null ? "" : prefix;
    if (partitions < 1) {
      throw new IllegalArgumentException("quench.topics.partitions must be at least 1, not " + partitions);
    }
    if (replicationFactor < 1) {
      throw new IllegalArgumentException("quench.topics.replication-factor must be at least 1, not "
          + replicationFactor);
    }
  }
}
