package dev.quench.api.log;

import dev.quench.events.Envelope;
import dev.quench.events.TaskState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The replica's overlay: the requests (submissions, cancels) no view reflects yet, per task, in the order of their
 * offsets in the requests topic, which is the order the worker sequences them in. Folded over a task's view with
 * {@link TaskState#evolve}, they make a request readable as soon as it is acknowledged.
 */
final class PendingRequests {

  /** A request not yet in a view, with its offset in the requests topic: the overlay is folded in that order. */
  private record Pending(long offset, Envelope request) {
  }

  private final Map<String, List<Pending>> byTask = new ConcurrentHashMap<>();

  /**
   * The task as its view shows it, with the requests the view does not reflect yet folded in. The overlay is read
   * first, the view second: a request leaves the overlay only after a view reflecting it landed, so this order
   * cannot see neither.
   *
   * @param view reads the task's view state (null if none), after the overlay was read
   */
  TaskState overlay(String taskId, Supplier<TaskState> view) {
    List<Pending> unreflected = byTask.get(taskId);
    TaskState state = view.get();
    if (unreflected == null) {
      return state;
    }
    TaskState overlaid = state;
    for (Pending p : unreflected) {
      if (overlaid == null || !overlaid.reflects(p.request.eventId())) {
        overlaid = TaskState.evolve(overlaid, p.request);
      }
    }
    return overlaid;
  }

  /** Adds a request read, or appended here, at {@code offset}; one already known (by event id) is not added twice. */
  void add(Envelope request, long offset) {
    byTask.compute(request.taskId(), (id, requests) -> {
      List<Pending> more = requests == null ? new ArrayList<>() : new ArrayList<>(requests);
      if (more.stream().anyMatch(p -> p.request.eventId().equals(request.eventId()))) {
        return requests;
      }
      more.add(new Pending(offset, request));
      more.sort(Comparator.comparingLong(Pending::offset));
      return List.copyOf(more);
    });
  }

  /** Drops the requests of the task that {@code view} reflects: they are in the view now. */
  void reflectedBy(TaskState view) {
    byTask.computeIfPresent(view.taskId(), (id, requests) -> {
      List<Pending> left = requests.stream().filter(p -> !view.reflects(p.request.eventId())).toList();
      return left.isEmpty() ? null : left;
    });
  }

  /** Forgets the task's requests made before {@code cutoff}; true if none is left. */
  boolean forgetBefore(String taskId, Instant cutoff) {
    byTask.computeIfPresent(taskId, (id, requests) -> {
      List<Pending> recent = requests.stream().filter(p -> p.request.occurredAt().isAfter(cutoff)).toList();
      return recent.isEmpty() ? null : recent;
    });
    return !byTask.containsKey(taskId);
  }

  /** Whether a request of the task awaits its view. */
  boolean has(String taskId) {
    return byTask.containsKey(taskId);
  }

  Set<String> taskIds() {
    return byTask.keySet();
  }

  int size() {
    return byTask.size();
  }
}
