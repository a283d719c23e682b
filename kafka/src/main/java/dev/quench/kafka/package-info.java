/**
 * What every quench service needs from Kafka beyond the contract: its topics made sure of ({@link
 * dev.quench.kafka.QuenchTopicsConfiguration}, {@link dev.quench.kafka.KafkaTopicAdmin}), dead letters ({@link
 * dev.quench.kafka.DeadLetters}), one rule for instance ids ({@link dev.quench.kafka.InstanceIds}), and closing
 * clients after a failure ({@link dev.quench.kafka.KafkaClients}), a consuming loop restarted after a failure
 * ({@link dev.quench.kafka.RestartingRun}), and consumer lag
 * ({@code dev.quench.kafka.lag}). One home, so the services cannot drift apart.
 */
package dev.quench.kafka;
