/**
 * The embedded default: {@link dev.quench.standalone.QuenchStandalone} starts a real single-node Kafka broker
 * ({@link dev.quench.standalone.KafkaBroker}, a child process from Apache Kafka's own jars) and then the api, the
 * worker and the projector, each its own Spring application, on one machine.
 */
package dev.quench.standalone;
