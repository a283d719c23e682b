package dev.quench.api.log;

import dev.quench.events.TaskState;

/** Told of each new view of the tasks it follows ({@link TaskViewReplica#followTask}, {@link TaskViewReplica#followTenant}). */
@FunctionalInterface
public interface TaskFollower {

  /**
   * A new view of a task, on the replica's thread: must not block.
   *
   * @param task   the task as the view shows it
   * @param before the version of the view it replaced (0 if none), or -1 when it was not looked up (nobody follows
   *               the task's tenant): a follower of one task keeps track of what it has seen itself
   */
  void changed(TaskState task, long before);
}
