package dev.quench.standalone.chaos;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * SIGKILLs a random process of the fleet, waits a moment, starts it again under the same id, and repeats. Victims
 * come from a shuffled bag of all five, so a short run still kills every role; one process is down at a time, so the
 * system is always expected to make progress.
 */
final class KillLoop {

  private final Fleet fleet;
  private final Random random;
  private final Duration killEvery;
  private final Timeline timeline;
  private final Deque<ServiceProcess> bag = new ArrayDeque<>();
  private final Map<String, Integer> killsByRole = new TreeMap<>();
  private final Map<String, Integer> killsByProcess = new TreeMap<>();

  KillLoop(Fleet fleet, Random random, Duration killEvery, Timeline timeline) {
    this.fleet = fleet;
    this.random = random;
    this.killEvery = killEvery;
    this.timeline = timeline;
  }

  /** Kills until {@code deadline} ({@link System#nanoTime()}); returns with every process running. */
  void runUntil(long deadline) throws InterruptedException {
    long nextKill = System.nanoTime() + interval();
    while (System.nanoTime() - deadline < 0) {
      fleet.restartExited();
      long now = System.nanoTime();
      if (now - nextKill < 0) {
        // Pacing in short steps: between kills the loop watches for processes that exit by themselves.
        long step = Math.min(Math.min(nextKill - now, deadline - now), TimeUnit.MILLISECONDS.toNanos(500));
        TimeUnit.NANOSECONDS.sleep(Math.max(step, TimeUnit.MILLISECONDS.toNanos(1)));
        continue;
      }
      ServiceProcess victim = nextVictim();
      long killedAt = System.nanoTime();
      long pid = victim.kill();
      timeline.killed(victim, pid);
      killsByRole.merge(victim.role().wire(), 1, Integer::sum);
      killsByProcess.merge(victim.id(), 1, Integer::sum);
      // Down for a moment: long enough for requests to hit a closed port or an unowned partition, short enough that
      // the group may not yet have noticed (the restart then joins while the old member still counts).
      TimeUnit.MILLISECONDS.sleep(200 + random.nextInt(2_000));
      victim.start();
      victim.awaitReady(Fleet.START_TIMEOUT);
      timeline.note(victim.id() + " back (pid " + victim.pid() + ") after "
          + String.format("%.1f s", (System.nanoTime() - killedAt) / 1e9));
      // The next kill may follow at once, but mostly the fleet gets a moment to rebalance and work again first.
      nextKill = Math.max(killedAt + interval(),
          System.nanoTime() + (long) (random.nextDouble() * killEvery.toNanos() / 2));
    }
    fleet.restartExited();
  }

  Map<String, Integer> killsByRole() {
    return new TreeMap<>(killsByRole);
  }

  Map<String, Integer> killsByProcess() {
    return new TreeMap<>(killsByProcess);
  }

  /** Between half and one and a half times the mean, so kills do not fall into step with anything periodic. */
  private long interval() {
    return (long) (killEvery.toNanos() * (0.5 + random.nextDouble()));
  }

  /**
   * The next from the bag, refilled when empty: one process of each role first, in random order, then the others,
   * so any three kills from the start of a bag hit every role, even in a run too slow for five.
   */
  private ServiceProcess nextVictim() {
    if (bag.isEmpty()) {
      List<ServiceProcess> all = new ArrayList<>(fleet.processes());
      Collections.shuffle(all, random);
      List<ServiceProcess> first = new ArrayList<>();
      for (ServiceProcess.Role role : ServiceProcess.Role.values()) {
        all.stream().filter(p -> p.role() == role).findFirst().ifPresent(first::add);
      }
      all.removeAll(first);
      Collections.shuffle(first, random);
      bag.addAll(first);
      bag.addAll(all);
    }
    return bag.poll();
  }
}
