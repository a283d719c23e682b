/**
 * The contract every quench process shares: the event records and their {@link dev.quench.events.Envelope},
 * the task state they fold into ({@link dev.quench.events.TaskState#evolve}), and the pure decision a worker
 * takes on each command ({@link dev.quench.events.TaskDecider#decide}).
 *
 * <p>Nothing here knows about Spring or Kafka: the fold and the decision are plain functions, so the worker,
 * the projector and the api compute the same state from the same events, and tests state behaviour as
 * given-events / when-command / then-events.
 */
package dev.quench.events;
