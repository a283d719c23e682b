package dev.quench.projector;

import dev.quench.events.Envelope;
import dev.quench.events.TaskCommand.Outcome;
import dev.quench.events.TaskCommand;
import dev.quench.events.TaskDecider;
import dev.quench.events.TaskHistory;
import dev.quench.events.TaskState;
import dev.quench.events.TaskView;
import dev.quench.events.wire.EventCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Decides one task's commands the way the worker does, remembering the events it committed, so a test writes the
 * log a real worker would and knows the state every view must end up at.
 */
final class SimulatedWorker {

  private static final EventCodec CODEC = new EventCodec();

  private final TaskHistory task;
  private final List<Envelope> committed = new ArrayList<>();

  SimulatedWorker(String taskId) {
    this.task = TaskHistory.task(taskId);
  }

  static SimulatedWorker forNewTask() {
    return new SimulatedWorker("task-" + UUID.randomUUID());
  }

  String taskId() {
    return task.taskId();
  }

  /** The events of accepting a submission; empty if the task exists already. */
  List<Envelope> submit() {
    return decide(task.accept(task.submitted()));
  }

  List<Envelope> start() {
    return decide(task.start());
  }

  List<Envelope> progress(int percent) {
    return decide(task.progress(state().attempt(), percent));
  }

  /** The request and, unless the task is running, its outcome. */
  List<Envelope> cancel(String reason) {
    return decide(task.accept(task.cancelRequested(reason)));
  }

  List<Envelope> finish(Outcome outcome) {
    return decide(task.finish(state().attempt(), outcome));
  }

  /** Decides and remembers the events, as if their transaction committed. */
  List<Envelope> decide(TaskCommand command) {
    List<Envelope> events = TaskDecider.decide(command, state());
    committed.addAll(events);
    return events;
  }

  /** Decides without remembering: the events of a transaction that will be aborted. */
  List<Envelope> decideAndAbandon(TaskCommand command) {
    return TaskDecider.decide(command, state());
  }

  TaskHistory task() {
    return task;
  }

  /** The fold of everything committed so far. */
  TaskState state() {
    return TaskState.fold(committed);
  }

  /**
   * What the task's latest view must hold, as a reader of the view topic sees it: {@link #state()} after the view
   * codec's round trip, which reads a null JSON member (no output yet) back as a {@code NullNode}.
   */
  TaskState viewed() {
    return CODEC.decodeView(CODEC.encodeView(new TaskView(state(), 0, 0))).task();
  }
}
