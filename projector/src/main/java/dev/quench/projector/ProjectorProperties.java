package dev.quench.projector;

import dev.quench.kafka.InstanceIds;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * This projector instance.
 *
 * @param id             names the instance in client ids and in the dead letters it rejects; see {@link InstanceIds}
 * @param groupId        the consumer group of all projectors of one deployment; {@code <topic prefix>quench-projector}
 *                       unless set, so deployments sharing a cluster under different prefixes do not share a group
 * @param pollTimeout    how long one poll of the log waits for records when there are none
 * @param restartBackoff how long to wait before restarting the projection after a failure
 * @param stopTimeout    how long stopping waits for the projection to finish its batch and leave the group
 */
@ConfigurationProperties("quench.projector")
public record ProjectorProperties(String id, String groupId, @DefaultValue("1s") Duration pollTimeout,
                                  @DefaultValue("1s") Duration restartBackoff,
                                  @DefaultValue("15s") Duration stopTimeout) {

  public ProjectorProperties {
    id = InstanceIds.resolve(id, "projector");
  }

  /** The consumer group, given the topic prefix of this deployment. */
  public String groupIdFor(String topicPrefix) {
    return groupId == null || groupId.isBlank() ? topicPrefix + "quench-projector" : groupId;
  }
}
