package dev.quench.standalone.chaos;

import dev.quench.events.wire.Topics;
import dev.quench.standalone.cluster.KafkaCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The faults of a cluster fault run, one at a time and each healed before the next: a SIGKILLed partition leader,
 * a SIGKILLed active controller, and a zombie worker (SIGSTOPped past its session, then SIGCONTed). Each episode
 * waits on conditions, never on a clock: the new leader elected, the api acknowledging requests again, every replica
 * back in sync, the frozen worker's partitions and orphans taken over.
 */
final class ClusterFaults {

  /** What can be done to the cluster. */
  enum Fault { BROKER, CONTROLLER, ZOMBIE }

  private static final Duration ELECTION = Duration.ofSeconds(60);
  private static final Duration RECOVERY = Duration.ofSeconds(120);
  private static final Duration POLL = Duration.ofMillis(250);
  // Acknowledged requests that show the api working through a fault; about five seconds of the load.
  private static final int PROGRESS = 10;
  private static final int ZOMBIE_ATTEMPTS = 5;

  private final KafkaCluster cluster;
  private final Fleet fleet;
  private final LoadDriver load;
  private final Topics topics;
  private final int partitions;
  private final Random random;
  private final Timeline timeline;
  private final Map<String, Integer> byKind = new TreeMap<>();
  private final Map<String, Integer> byProcess = new TreeMap<>();
  private final List<ZombieCheck.Episode> zombies = new ArrayList<>();

  ClusterFaults(KafkaCluster cluster, Fleet fleet, LoadDriver load, Topics topics, int partitions, Random random,
                Timeline timeline) {
    this.cluster = cluster;
    this.fleet = fleet;
    this.load = load;
    this.topics = topics;
    this.partitions = partitions;
    this.random = random;
    this.timeline = timeline;
  }

  void run(Fault fault) throws InterruptedException {
    switch (fault) {
      case BROKER -> killPartitionLeader();
      case CONTROLLER -> killActiveController();
      case ZOMBIE -> zombieWorker();
    }
  }

  /** Waits until the api has acknowledged {@link #PROGRESS} more requests: the system works, whatever happened. */
  void awaitProgress(String during) throws InterruptedException {
    int from = load.acknowledged().size();
    long started = System.nanoTime();
    await("the api acknowledging " + PROGRESS + " more requests " + during, RECOVERY,
        () -> load.acknowledged().size(), n -> n >= from + PROGRESS);
    timeline.note(PROGRESS + " more requests acknowledged " + during + " within " + seconds(started));
  }

  Map<String, Integer> byKind() {
    return new TreeMap<>(byKind);
  }

  Map<String, Integer> byProcess() {
    return new TreeMap<>(byProcess);
  }

  List<ZombieCheck.Episode> zombies() {
    return List.copyOf(zombies);
  }

  private void killPartitionLeader() throws InterruptedException {
    int partition = random.nextInt(partitions);
    String topic = topics.log();
    int leader = await("a leader of " + topic + "-" + partition, ELECTION, () -> cluster.leaderOf(topic, partition),
        id -> id > 0);
    long killedAt = System.nanoTime();
    long pid = cluster.kill(leader);
    fault("node-" + leader, "broker", pid, "SIGKILL node-" + leader + ", leader of " + topic + "-" + partition);
    int next = await("a new leader of " + topic + "-" + partition, ELECTION, () -> cluster.leaderOf(topic, partition),
        id -> id > 0 && id != leader);
    timeline.note("node-" + next + " leads " + topic + "-" + partition + " after " + seconds(killedAt));
    awaitProgress("with node-" + leader + " down");
    restart(leader, killedAt);
  }

  private void killActiveController() throws InterruptedException {
    int controller = await("an active controller", ELECTION, cluster::activeController, id -> id > 0);
    long killedAt = System.nanoTime();
    long pid = cluster.kill(controller);
    fault("node-" + controller, "controller", pid, "SIGKILL node-" + controller + ", the active controller");
    int next = await("a new active controller", ELECTION, cluster::activeController,
        id -> id > 0 && id != controller);
    timeline.note("node-" + next + " is the active controller after " + seconds(killedAt));
    awaitProgress("with node-" + controller + " down");
    restart(controller, killedAt);
  }

  private void restart(int node, long killedAt) throws InterruptedException {
    long pid = cluster.restart(node);
    timeline.note("node-" + node + " back (pid " + pid + ") after " + seconds(killedAt));
    // The next fault must find every partition able to lose a replica again.
    await("every replica of every topic in sync", RECOVERY, () -> cluster.fullyReplicated(cluster.topics()),
        Boolean::booleanValue);
    timeline.note("every replica in sync again, " + seconds(killedAt) + " after the kill");
  }

  /**
   * Freezes a worker that is running tasks, past its session, until the other worker owns every partition and has
   * ended every task the frozen one was running; then lets it go on and waits until it owns partitions again. A
   * freeze that finds nothing running (its tasks ended as it stopped) is undone and tried again.
   */
  private void zombieWorker() throws InterruptedException {
    String group = topics.prefix() + "quench-worker";
    for (int attempt = 1; attempt <= ZOMBIE_ATTEMPTS; attempt++) {
      ServiceProcess zombie = await("a worker running a task", RECOVERY, this::busyWorker, w -> w != null);
      long pid = zombie.freeze();
      await(zombie.id() + " stopped", ELECTION, () -> stopped(pid), Boolean::booleanValue);
      Instant frozenAt = Instant.now();
      long frozen = System.nanoTime();
      Set<String> running = ZombieCheck.runningOn(zombie.id(), LogCheck.histories(fleetBootstrap(), topics));
      if (running.isEmpty()) {
        zombie.thaw();
        timeline.note(zombie.id() + " froze with nothing running; thawed, trying again");
        continue;
      }
      fault(zombie.id(), "zombie", pid, "SIGSTOP " + zombie.id() + ", running " + running.size() + " task(s)");
      String client = "quench-worker-" + zombie.id();
      Set<String> owners = await("the other workers owning " + zombie.id() + "'s partitions", RECOVERY,
          () -> cluster.groupOwners(group), o -> !o.isEmpty() && !o.contains(client));
      timeline.note(owners + " own every partition " + seconds(frozen) + " after the freeze");
      await("the tasks " + zombie.id() + " was running ended by their new owner", RECOVERY,
          () -> LogCheck.histories(fleetBootstrap(), topics),
          histories -> running.stream().allMatch(t -> histories.get(t).stream()
              .anyMatch(e -> e.envelope().type().terminal())));
      timeline.note("the " + running.size() + " task(s) " + zombie.id() + " was running have ended, "
          + seconds(frozen) + " after the freeze");
      Instant thawedAt = Instant.now();
      zombie.thaw();
      timeline.note("SIGCONT " + zombie.id() + " (pid " + pid + ") after " + seconds(frozen));
      zombies.add(new ZombieCheck.Episode(zombie.id(), frozenAt, thawedAt, running));
      await(zombie.id() + " owning partitions again", RECOVERY, () -> cluster.groupOwners(group),
          o -> o.contains(client));
      timeline.note(zombie.id() + " owns partitions again, " + seconds(frozen) + " after the freeze");
      return;
    }
    throw new IllegalStateException("no worker was running a task when frozen, " + ZOMBIE_ATTEMPTS + " times");
  }

  /** A worker the log shows running a task, chosen at random among those that are; null if none is. */
  private ServiceProcess busyWorker() {
    Map<String, List<LogCheck.Event>> histories = LogCheck.histories(fleetBootstrap(), topics);
    List<ServiceProcess> workers = new ArrayList<>(fleet.workers());
    Collections.shuffle(workers, random);
    return workers.stream().filter(w -> !ZombieCheck.runningOn(w.id(), histories).isEmpty()).findFirst()
        .orElse(null);
  }

  private String fleetBootstrap() {
    return cluster.bootstrapServers();
  }

  /** Whether the process is in the stopped state ({@code T} in {@code /proc/<pid>/stat}). */
  private static boolean stopped(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      return stat.substring(stat.lastIndexOf(')') + 2).startsWith("T");
    } catch (IOException e) {
      return false;
    }
  }

  private void fault(String process, String kind, long pid, String what) {
    byKind.merge(kind, 1, Integer::sum);
    byProcess.merge(process, 1, Integer::sum);
    timeline.fault(process, kind, pid, what);
  }

  /**
   * Polls {@code probe} until its value satisfies {@code done}; a probe that throws (a cluster that does not answer
   * while a node is down) counts as not yet.
   *
   * @throws IllegalStateException after {@code timeout}, naming what was waited for and the last answer
   */
  private static <T> T await(String what, Duration timeout, Supplier<T> probe, Predicate<T> done)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Object last = null;
    while (true) {
      try {
        T value = probe.get();
        if (done.test(value)) {
          return value;
        }
        last = value;
      } catch (RuntimeException e) {
        last = e;
      }
      if (System.nanoTime() - deadline > 0) {
        String answer = String.valueOf(last);
        throw new IllegalStateException("waited " + timeout.toSeconds() + " s for " + what + " in vain; last: "
            + (answer.length() > 300 ? answer.substring(0, 300) + "..." : answer));
      }
      TimeUnit.MILLISECONDS.sleep(POLL.toMillis());
    }
  }

  private static String seconds(long since) {
    return String.format("%.1f s", (System.nanoTime() - since) / 1e9);
  }
}
