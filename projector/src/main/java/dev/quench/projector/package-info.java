/**
 * The projector: folds the log into task views and publishes them to the compacted view topic, which is the only
 * thing the api reads. One Spring Boot application, deployable on its own or embedded by the standalone launcher.
 *
 * <p>Its settings are bound here ({@link dev.quench.projector.ProjectorProperties}); the shared {@code quench.topics.*}
 * and the topics themselves are made sure of by {@link dev.quench.kafka.QuenchTopicsConfiguration} before the fold in
 * {@code dev.quench.projector.projection} starts.
 */
package dev.quench.projector;
