package dev.quench.standalone.chaos;

import dev.quench.events.wire.Topics;
import dev.quench.standalone.cluster.IsolatedNetwork;
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
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The faults of a cluster fault run, one at a time and each healed before the next: a SIGKILLed partition leader,
 * a SIGKILLed active controller, a zombie worker (SIGSTOPped past its session, then SIGCONTed), a worker cut off
 * from the cluster by its network (its namespace's link down past its session, then up), a rolling restart of every
 * node, and a scale-out and in of the services ({@link Scaling}). Each episode
 * waits on conditions, never on a clock: the new leader elected, the api acknowledging requests again, every replica
 * back in sync, the frozen worker's partitions and orphans taken over.
 */
final class ClusterFaults {

  /** What can be done to the cluster. */
  enum Fault { BROKER, CONTROLLER, ZOMBIE, NETNS, ROLLING, SCALE }

  private static final Duration ELECTION = Duration.ofSeconds(60);
  private static final Duration RECOVERY = Duration.ofSeconds(120);
  private static final Duration POLL = Duration.ofMillis(250);
  // Acknowledged requests that show the api working through a fault; about five seconds of the load.
  private static final int PROGRESS = 10;
  private static final int ZOMBIE_ATTEMPTS = 5;
  // A worker's graceful stop ends its tasks' runs and its transaction; the grace period is Spring's 30 s.
  private static final Duration LEAVE = Duration.ofSeconds(60);
  private static final int LEAVING = 2;

  private final KafkaCluster cluster;
  private final IsolatedNetwork network;
  private final ServiceProcess isolatedWorker;
  private final Scaling scaling;
  private final Fleet fleet;
  private final LoadDriver load;
  private final Topics topics;
  private final int partitions;
  private final Random random;
  private final Timeline timeline;
  private final Map<String, Integer> byKind = new TreeMap<>();
  private final Map<String, Integer> byProcess = new TreeMap<>();
  private final List<ZombieCheck.Episode> zombies = new ArrayList<>();

  /**
   * @param network        the isolated network {@code isolatedWorker} runs in; null (both) without the netns fault
   * @param isolatedWorker the worker that reaches the cluster only through {@code network}
   * @param scaling        starts the processes that join in a scale-out; null without the scale fault
   */
  ClusterFaults(KafkaCluster cluster, Fleet fleet, LoadDriver load, Topics topics, int partitions, Random random,
                Timeline timeline, IsolatedNetwork network, ServiceProcess isolatedWorker, Scaling scaling) {
    this.network = network;
    this.scaling = scaling;
    this.isolatedWorker = isolatedWorker;
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
      case NETNS -> cutOffWorker();
      case ROLLING -> rollingRestart();
      case SCALE -> scaleOutAndIn();
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
    awaitInSync();
    timeline.note("every replica in sync again, " + seconds(killedAt) + " after node-" + node + " went down");
  }

  private void awaitInSync() throws InterruptedException {
    await("every replica of every topic in sync", RECOVERY, () -> cluster.fullyReplicated(cluster.topics()),
        Boolean::booleanValue);
  }

  /**
   * Every node stopped gracefully and started again, one after another, as an upgrade would: the next only once
   * every replica is back in sync, and the active controller last, so the quorum moves once rather than with each
   * node. Each node's stop counts as one fault.
   */
  private void rollingRestart() throws InterruptedException {
    awaitInSync();
    int controller = await("an active controller", ELECTION, cluster::activeController, id -> id > 0);
    List<Integer> order = new ArrayList<>(cluster.nodeIds());
    order.remove(Integer.valueOf(controller));
    order.add(controller);
    for (int i = 0; i < order.size(); i++) {
      int node = order.get(i);
      long stoppedAt = System.nanoTime();
      fault("node-" + node, "rolling", cluster.pid(node), "SIGTERM node-" + node + ", rolling restart " + (i + 1)
          + " of " + order.size() + (node == controller ? " (the active controller)" : ""));
      cluster.stop(node);
      timeline.note("node-" + node + " stopped after " + seconds(stoppedAt));
      awaitProgress("with node-" + node + " stopped");
      restart(node, stoppedAt);
    }
  }

  /**
   * A scale-out and in under load: workers and api instances join until {@link Scaling#WORKERS} and
   * {@link Scaling#APIS} run, the load spreads over every api instance, and each joined worker takes partitions;
   * then {@link #LEAVING} workers other than the isolated one leave by SIGTERM, one after another, and the rest take
   * their partitions. Each leave counts as one fault; a join is no fault.
   */
  private void scaleOutAndIn() throws InterruptedException {
    if (scaling == null) {
      throw new IllegalStateException("the scale fault needs the fleet's scaling; none was given");
    }
    String group = topics.prefix() + "quench-worker";
    long began = System.nanoTime();
    Scaling.Joined joined = scaling.join();
    timeline.note("scaled out within " + seconds(began) + ": joined " + joined + "; api instances "
        + scaling.apiInstances());
    for (ServiceProcess worker : joined.workers()) {
      String client = "quench-worker-" + worker.id();
      await(worker.id() + " owning partitions", RECOVERY, () -> cluster.groupOwners(group), o -> o.contains(client));
    }
    timeline.note("owners of the workers' partitions " + cluster.groupOwners(group) + ", " + seconds(began)
        + " after the scale-out began");
    awaitProgress("over " + scaling.apiInstances().size() + " api instances");

    List<ServiceProcess> candidates = new ArrayList<>(fleet.workers().stream()
        .filter(w -> w != isolatedWorker && w.isAlive()).toList());
    if (candidates.size() <= LEAVING) {
      throw new IllegalStateException("only " + candidates.size() + " workers could leave; " + LEAVING
          + " leave and one stays");
    }
    Collections.shuffle(candidates, random);
    List<ServiceProcess> leaving = candidates.subList(0, LEAVING);
    for (ServiceProcess worker : leaving) {
      long stopping = System.nanoTime();
      fault(worker.id(), "scale", worker.pid(), "SIGTERM " + worker.id() + ", leaving in a scale-in");
      worker.stop(LEAVE);
      timeline.note(worker.id() + " gone after " + seconds(stopping) + ", exit code " + worker.exitValue());
    }
    // Every worker still running owns partitions again: not only the leavers gone, the rebalance finished.
    Set<String> staying = new TreeSet<>();
    fleet.workers().stream().filter(ServiceProcess::isAlive).forEach(w -> staying.add("quench-worker-" + w.id()));
    Set<String> owners = await("the remaining workers " + staying + " owning every partition", RECOVERY,
        () -> cluster.groupOwners(group), staying::equals);
    timeline.note(owners + " own every partition, " + seconds(began) + " after the scale-out began");
    awaitProgress("after the scale-in");
  }

  /** SIGSTOP of a worker running tasks, undone by SIGCONT: see {@link #takenOver}. */
  private void zombieWorker() throws InterruptedException {
    List<ServiceProcess> candidates = fleet.workers().stream().filter(w -> w != isolatedWorker && w.isAlive())
        .toList();
    takenOver("zombie", () -> await("a worker running a task", RECOVERY, () -> busiest(candidates), w -> w != null),
        worker -> {
          long pid = worker.freeze();
          await(worker.id() + " stopped", ELECTION, () -> stopped(pid), Boolean::booleanValue);
          return "SIGSTOP " + worker.id();
        },
        worker -> {
          worker.thaw();
          return "SIGCONT " + worker.id();
        });
  }

  /** The worker in its own network namespace cut off by taking its link down, then let back: see {@link #takenOver}. */
  private void cutOffWorker() throws InterruptedException {
    if (network == null) {
      throw new IllegalStateException("the netns fault needs a worker in an isolated network; none was started");
    }
    takenOver("netns", () -> await(isolatedWorker.id() + " running a task", RECOVERY,
        () -> busiest(List.of(isolatedWorker)), w -> w != null),
        worker -> {
          network.cut();
          return "link of " + network.namespace() + " down, " + worker.id() + " cut off";
        },
        worker -> {
          network.restore();
          return "link of " + network.namespace() + " up again";
        });
  }

  /**
   * Isolates a worker that is running tasks, past its session, until the other workers own every partition and
   * have ended every task it was running; then lets it back and waits until it owns partitions again. An isolation
   * that finds nothing running (its tasks ended as it began) is undone and tried again.
   */
  private void takenOver(String kind, Choice choose, Action isolate, Action release) throws InterruptedException {
    String group = topics.prefix() + "quench-worker";
    for (int attempt = 1; attempt <= ZOMBIE_ATTEMPTS; attempt++) {
      ServiceProcess worker = choose.get();
      String began = isolate.apply(worker);
      Instant isolatedAt = Instant.now();
      long isolated = System.nanoTime();
      Set<String> running = ZombieCheck.runningOn(worker.id(), LogCheck.histories(cluster.bootstrapServers(),
          topics));
      if (running.isEmpty()) {
        release.apply(worker);
        timeline.note(worker.id() + " isolated with nothing running; let back, trying again");
        continue;
      }
      fault(worker.id(), kind, worker.pid(), began + ", running " + running.size() + " task(s)");
      String client = "quench-worker-" + worker.id();
      Set<String> owners = await("the other workers owning " + worker.id() + "'s partitions", RECOVERY,
          () -> cluster.groupOwners(group), o -> !o.isEmpty() && !o.contains(client));
      timeline.note(owners + " own every partition, " + seconds(isolated) + " after " + worker.id() + " was isolated");
      await("the tasks " + worker.id() + " was running ended by their new owner", RECOVERY,
          () -> LogCheck.histories(cluster.bootstrapServers(), topics),
          histories -> running.stream().allMatch(t -> histories.get(t).stream()
              .anyMatch(e -> e.envelope().type().terminal())));
      timeline.note("the " + running.size() + " task(s) " + worker.id() + " was running have ended, "
          + seconds(isolated) + " after it was isolated");
      Instant releasedAt = Instant.now();
      String ended = release.apply(worker);
      timeline.note(ended + " after " + seconds(isolated));
      zombies.add(new ZombieCheck.Episode(worker.id(), isolatedAt, releasedAt, running));
      await(worker.id() + " owning partitions again", RECOVERY, () -> cluster.groupOwners(group),
          o -> o.contains(client));
      timeline.note(worker.id() + " owns partitions again, " + seconds(isolated) + " after it was isolated");
      return;
    }
    throw new IllegalStateException("no worker was running a task when isolated, " + ZOMBIE_ATTEMPTS + " times");
  }

  /** The worker among {@code workers} the log shows running the most tasks; null if none runs any. */
  private ServiceProcess busiest(List<ServiceProcess> workers) {
    Map<String, List<LogCheck.Event>> histories = LogCheck.histories(cluster.bootstrapServers(), topics);
    ServiceProcess busiest = null;
    int most = 0;
    for (ServiceProcess worker : workers) {
      int running = ZombieCheck.runningOn(worker.id(), histories).size();
      if (running > most || (running == most && running > 0 && random.nextBoolean())) {
        busiest = worker;
        most = running;
      }
    }
    return busiest;
  }

  /** Which worker to isolate. */
  private interface Choice {
    ServiceProcess get() throws InterruptedException;
  }

  /** Isolating a worker, or letting it back; says what it did, for the timeline. */
  private interface Action {
    String apply(ServiceProcess worker) throws InterruptedException;
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
