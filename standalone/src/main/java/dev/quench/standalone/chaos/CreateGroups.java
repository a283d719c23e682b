package dev.quench.standalone.chaos;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The load's creates as {@link BatchLoad} picks targets from them: each create carries the label of its group (every
 * {@link BatchLoad#GROUP_SIZE} creates in turn), and the tasks acknowledged are kept in the order they were, with
 * when. Thread-safe: the load's clients count creates, the batcher picks.
 */
final class CreateGroups {

  private record Created(String taskId, long atNanos) {
  }

  /** Creates of one group: sent, answered, acknowledged. */
  private static final class GroupCount {
    int sent;
    int answered;
    int acknowledged;
  }

  private final long finishedAfterNanos;
  private long sequence;
  private final List<Created> created = new ArrayList<>();
  private final Map<Long, GroupCount> groups = new HashMap<>();

  /** @param finishedAfterMillis how long after its create a task has surely ended (the longest task and then some) */
  CreateGroups(long finishedAfterMillis) {
    this.finishedAfterNanos = TimeUnit.MILLISECONDS.toNanos(finishedAfterMillis);
  }

  /** The group of the next create, counted as sent. */
  synchronized String sending() {
    long group = sequence++ / BatchLoad.GROUP_SIZE;
    groups.computeIfAbsent(group, g -> new GroupCount()).sent++;
    return "g" + group;
  }

  /** A create of {@code group} was answered; {@code taskId} is null unless it was acknowledged. */
  synchronized void answered(String group, String taskId) {
    GroupCount count = groups.get(Long.parseLong(group.substring(1)));
    count.answered++;
    if (taskId != null) {
      count.acknowledged++;
      created.add(new Created(taskId, System.nanoTime()));
    }
  }

  /** The latest {@code n} tasks acknowledged (fewer if there are not so many). */
  synchronized List<String> latest(int n) {
    List<String> latest = new ArrayList<>();
    for (int i = created.size() - Math.min(n, created.size()); i < created.size(); i++) {
      latest.add(created.get(i).taskId());
    }
    return latest;
  }

  /** A few (2-4) tasks, at random, acknowledged so long ago that they have surely ended; none if there are none. */
  synchronized List<String> endedLongAgo(Random random) {
    long cutoff = System.nanoTime() - finishedAfterNanos;
    int old = 0;
    while (old < created.size() && created.get(old).atNanos() - cutoff < 0) {
      old++;
    }
    List<String> picked = new ArrayList<>();
    for (int i = 0, n = old == 0 ? 0 : 2 + random.nextInt(3); i < n; i++) {
      picked.add(created.get(random.nextInt(old)).taskId());
    }
    return picked;
  }

  /** The group creates go to now: tasks matching it keep arriving after a batch over it is accepted. */
  synchronized String current() {
    return sequence == 0 ? null : "g" + (sequence - 1) / BatchLoad.GROUP_SIZE;
  }

  synchronized String previous() {
    long current = (sequence - 1) / BatchLoad.GROUP_SIZE;
    return current < 1 ? null : "g" + (current - 1);
  }

  /** The latest group all of whose creates were sent, answered and acknowledged; null if there is none yet. */
  synchronized String latestComplete() {
    long current = sequence / BatchLoad.GROUP_SIZE;
    for (long g = current - 1; g >= 0; g--) {
      GroupCount count = groups.get(g);
      if (count != null && count.sent == BatchLoad.GROUP_SIZE && count.answered == BatchLoad.GROUP_SIZE
          && count.acknowledged == BatchLoad.GROUP_SIZE) {
        return "g" + g;
      }
    }
    return null;
  }
}
