/**
 * The projection: one thread that folds the log partitions this instance owns into task views with
 * {@link dev.quench.events.TaskState#evolve} and publishes each changed view to the view partition of the same
 * number.
 *
 * <p>No Kafka transaction: every view carries the log position it reflects, so a replay after a crash rewrites the
 * same views, and a view never goes back to an older position. Offsets are committed only once the views of the
 * batch are acknowledged. The views of a partition are restored from the view topic itself when the partition is
 * assigned, so the projector keeps no state of its own anywhere else.
 */
package dev.quench.projector.projection;
