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
 * @param rebuildThreads how many partitions a rebuild folds at once (0: one per processor); each holds one
 *                       partition's views in memory while it folds
 * @param reportInterval how often the progress of a batch chunk still under way is written (views are written
 *                       after every poll, a chunk whose targets all settled at once); offsets are never committed
 *                       past a change not written yet, so this is also, at most, what a restart folds again
 */
@ConfigurationProperties("quench.projector")
public record ProjectorProperties(String id, String groupId, @DefaultValue("1s") Duration pollTimeout,
                                  @DefaultValue("1s") Duration restartBackoff,
                                  @DefaultValue("15s") Duration stopTimeout,
                                  @DefaultValue("0") int rebuildThreads,
                                  @DefaultValue("200ms") Duration reportInterval) {

  public ProjectorProperties {
    id = InstanceIds.resolve(id, "projector");
    if (reportInterval == null || reportInterval.isNegative()) {
      throw new IllegalArgumentException("quench.projector.report-interval must not be negative");
    }
    if (rebuildThreads < 0) {
      throw new IllegalArgumentException("quench.projector.rebuild-threads must not be negative");
    }
  }

  /** How many partitions a rebuild folds at once, on this machine. */
  public int rebuildParallelism() {
    return rebuildThreads > 0 ? rebuildThreads : Runtime.getRuntime().availableProcessors();
  }

  /** The consumer group, given the topic prefix of this deployment. */
  public String groupIdFor(String topicPrefix) {
    return groupId == null || groupId.isBlank() ? topicPrefix + "quench-projector" : groupId;
  }
}
