package dev.quench.kafka;

import dev.quench.events.wire.Topics;

/**
 * quench's topics as they are on the cluster, made sure of at start.
 *
 * @param topics     their names
 * @param partitions the partition count they really have: what the api needs to name a task's partition, which is
 *                   not necessarily what {@code quench.topics.partitions} asks for, if they existed already
 */
public record TopicLayout(Topics topics, int partitions) {
}
