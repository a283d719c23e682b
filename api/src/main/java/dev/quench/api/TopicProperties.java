package dev.quench.api;

import dev.quench.events.wire.TopicSpec;
import dev.quench.events.wire.Topics;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code quench.topics.*}: the same for every process of one deployment.
 *
 * @param prefix            put before every topic name, to run several deployments on one cluster
 * @param partitions        partitions of each topic, created when missing; the unit of ownership and of scale
 * @param replicationFactor replicas of each partition
 */
@ConfigurationProperties("quench.topics")
public record TopicProperties(String prefix, @DefaultValue("6") int partitions,
                              @DefaultValue("1") short replicationFactor) {

  public Topics topics() {
    return Topics.withPrefix(prefix);
  }

  public List<TopicSpec> specs() {
    return TopicSpec.all(topics(), partitions, replicationFactor);
  }
}
