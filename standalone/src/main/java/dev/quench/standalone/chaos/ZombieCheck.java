package dev.quench.standalone.chaos;

import dev.quench.events.Envelope;
import dev.quench.events.EventType;
import dev.quench.events.TaskError;
import dev.quench.events.TaskFailed;
import dev.quench.standalone.chaos.LogCheck.Event;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The checks of a zombie episode, on the whole log at the end of the run: a worker isolated past its session (frozen
 * by SIGSTOP, or cut off by its network) while another takes its partitions, then let back, still believes it owns
 * what it ran. None of what it decided before or while isolated may land after the new owner's decisions (its
 * transactions are fenced, see the worker's GenerationFence), and every task it was running then ends exactly once:
 * by the orphan policy ({@code fail}: {@code failed worker_lost}) of the worker that took the task over, or by a
 * cancel that reached the partition first, unless its own result was committed before it was isolated.
 */
final class ZombieCheck {

  /**
   * One episode.
   *
   * @param worker   the isolated worker's id, the producer of its events
   * @param frozenAt when it was isolated (stopped, or its link taken down)
   * @param thawedAt when it was let back
   * @param running  the tasks it was running when it was isolated, by the log read then
   */
  record Episode(String worker, Instant frozenAt, Instant thawedAt, Set<String> running) {

    Episode {
      running = Set.copyOf(running);
    }
  }

  /**
   * What the episodes came to.
   *
   * @param endings    how the tasks running on an isolated worker ended: {@code failed worker_lost by worker-2}, ...
   * @param violations late results that landed, tasks that did not end exactly once by the orphan policy
   */
  record Result(Map<String, Integer> endings, List<String> violations) {
  }

  private ZombieCheck() {
  }

  /** The tasks whose latest run the log shows started by {@code worker} and not ended. */
  static Set<String> runningOn(String worker, Map<String, List<Event>> histories) {
    Set<String> running = new LinkedHashSet<>();
    histories.forEach((taskId, events) -> {
      String runner = null;
      for (Event e : events) {
        Envelope env = e.envelope();
        if (env.type() == EventType.TASK_STARTED) {
          runner = env.producer();
        } else if (env.type().terminal() || env.type() == EventType.TASK_REQUEUED) {
          runner = null;
        }
      }
      if (worker.equals(runner)) {
        running.add(taskId);
      }
    });
    return running;
  }

  /** @param workers the ids of every worker of the fleet, the zombies' among them */
  static Result check(List<Episode> episodes, Set<String> workers, Map<String, List<Event>> histories) {
    Map<String, Integer> endings = new TreeMap<>();
    List<String> violations = new ArrayList<>();
    for (Episode episode : episodes) {
      if (episode.running().isEmpty()) {
        violations.add(episode.worker() + " was isolated at " + episode.frozenAt() + " with no task running: the "
            + "episode showed nothing");
      }
      for (String taskId : episode.running()) {
        List<Envelope> terminals = histories.getOrDefault(taskId, List.of()).stream().map(Event::envelope)
            .filter(e -> e.type().terminal()).toList();
        if (terminals.size() != 1) {
          violations.add("task " + taskId + ", running on " + episode.worker() + " when it was isolated, has "
              + terminals.size() + " terminal events, not exactly one");
          continue;
        }
        Envelope end = terminals.get(0);
        String ending = ending(end);
        endings.merge(ending + (end.producer().equals(episode.worker()) ? " by the zombie" : " by its new owner"), 1,
            Integer::sum);
        if (end.producer().equals(episode.worker())) {
          if (!end.occurredAt().isBefore(episode.frozenAt())) {
            violations.add("task " + taskId + ": the zombie " + episode.worker() + "'s late result " + ending
                + " (at " + end.occurredAt() + ") landed after it was isolated at " + episode.frozenAt());
          }
        } else if (!ending.equals("failed " + TaskError.WORKER_LOST) && !cancelledAsAsked(taskId, end, histories)) {
          violations.add("task " + taskId + ", running on " + episode.worker() + " when it was isolated, ended "
              + ending + " by " + end.producer() + ", not by the orphan policy (failed " + TaskError.WORKER_LOST
              + ") nor by a cancel that came first");
        }
      }
      violations.addAll(lateLandings(episode, workers, histories));
    }
    return new Result(endings, violations);
  }

  /**
   * Decisions the zombie took before it was let back (stamped before then: before its freeze, or while cut off)
   * that sit in a task's log after a decision another worker took while it was isolated: a transaction that should
   * have been fenced and was not.
   */
  private static List<String> lateLandings(Episode episode, Set<String> workers,
                                           Map<String, List<Event>> histories) {
    List<String> violations = new ArrayList<>();
    histories.forEach((taskId, events) -> {
      Event takenOver = null;
      for (Event e : events) {
        Envelope env = e.envelope();
        boolean otherWorker = !env.producer().equals(episode.worker()) && workers.contains(env.producer());
        if (takenOver == null && otherWorker && !env.occurredAt().isBefore(episode.frozenAt())
            && env.occurredAt().isBefore(episode.thawedAt())) {
          takenOver = e;
        } else if (takenOver != null && env.producer().equals(episode.worker())
            && env.occurredAt().isBefore(episode.thawedAt())) {
          violations.add("task " + taskId + ": " + env.type().wire() + " by the zombie " + episode.worker()
              + " (stamped " + env.occurredAt() + ", p" + e.partition() + "@" + e.offset() + ") landed after "
              + takenOver.envelope().type().wire() + " by " + takenOver.envelope().producer() + " (p"
              + takenOver.partition() + "@" + takenOver.offset() + ") while it was isolated");
        }
      }
    });
    return violations;
  }

  /**
   * A cancel that reached the partition while nobody served it is decided before the orphans of the takeover
   * (docs/architecture.md §10): the run ends cancelled, as asked, not failed as lost.
   */
  private static boolean cancelledAsAsked(String taskId, Envelope end, Map<String, List<Event>> histories) {
    if (end.type() != EventType.TASK_CANCELLED) {
      return false;
    }
    for (Event e : histories.get(taskId)) {
      if (e.envelope() == end) {
        return false;
      }
      if (e.envelope().type() == EventType.CANCEL_REQUESTED) {
        return true;
      }
    }
    return false;
  }

  private static String ending(Envelope end) {
    if (end.event() instanceof TaskFailed failed) {
      return failed.error() == null ? "failed" : "failed " + failed.error().code();
    }
    return end.type().wire();
  }
}
