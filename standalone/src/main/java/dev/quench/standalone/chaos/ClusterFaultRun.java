package dev.quench.standalone.chaos;

import dev.quench.events.wire.Topics;
import dev.quench.standalone.FreePorts;
import dev.quench.standalone.QuietKafkaLogs;
import dev.quench.standalone.chaos.ChaosRun.Ending;
import dev.quench.standalone.chaos.ClusterFaults.Fault;
import dev.quench.standalone.cluster.IsolatedNetwork;
import dev.quench.standalone.cluster.KafkaCluster;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The cluster fault run: a real three-node KRaft cluster (every topic on three replicas, two of them in sync for a
 * write to count, no unclean leader election), the api, two workers and two projectors on it, a steady load, and
 * faults of the cluster under that load, one at a time: the broker leading a partition of the log SIGKILLed, then
 * the active controller, then a worker frozen past its session (a zombie), then, where this machine allows network
 * namespaces, a third worker (in a namespace of its own) cut off from the cluster past its session by taking its
 * link down; and, when named in the plan, a rolling restart of every node and a scale-out and in of the services
 * ({@link Scaling}). Then, once quiet, the checks of
 * {@link LogCheck} on the whole log, and those of {@link ZombieCheck}. Prints the figures and exits 0 only if nothing
 * was violated and nothing acknowledged was lost (1 otherwise, 2 if the run itself failed).
 *
 * <p>Settings: those of {@link ChaosSettings} ({@code --duration} is how long faults go on; each fault of the plan
 * runs at least once, and the plan is repeated while the duration lasts; {@code --kill-every} is not used), and
 * {@code --faults=broker,controller,zombie,netns,rolling,scale}, the plan, in order. {@link SoakRun} is the same
 * run paced for a long soak, one fault a minute, with the services' resources recorded.
 */
public final class ClusterFaultRun {

  static final List<Fault> DEFAULT_PLAN = List.of(Fault.BROKER, Fault.CONTROLLER, Fault.ZOMBIE, Fault.ROLLING,
      Fault.SCALE);
  private static final String FAULT_NAMES = "broker, controller, zombie, netns, rolling, scale";

  // Three brokers and five services share two cores: small heaps, no optimising compiler, the serial collector.
  private static final List<String> BROKER_JVM_ARGS = List.of("-Xms64m", "-Xmx256m", "-XX:TieredStopAtLevel=1",
      "-XX:+UseSerialGC");
  private static final int NODES = 3;

  private ClusterFaultRun() {
  }

  public static void main(String[] args) {
    ChaosReport report;
    try {
      report = run(ChaosSettings.from(args), plan(args), System.out);
    } catch (Exception e) {
      System.err.println("the cluster fault run failed before its checks: " + e.getMessage());
      e.printStackTrace();
      System.exit(2);
      return;
    }
    report.print(System.out);
    System.exit(report.passed() ? 0 : 1);
  }

  /**
   * The faults named by {@code --faults=a,b,...}, in order; without it {@link #DEFAULT_PLAN}, and the network cut
   * after it where this machine allows a network namespace ({@link IsolatedNetwork#available()}).
   */
  static List<Fault> plan(String... args) {
    for (String arg : args) {
      if (arg.startsWith("--faults=")) {
        List<Fault> plan = Arrays.stream(arg.substring("--faults=".length()).split(",")).map(String::strip)
            .filter(name -> !name.isEmpty()).map(ClusterFaultRun::fault).toList();
        if (plan.isEmpty()) {
          throw new IllegalArgumentException("--faults names no fault; use some of " + FAULT_NAMES);
        }
        return plan;
      }
    }
    if (IsolatedNetwork.available()) {
      List<Fault> plan = new ArrayList<>(DEFAULT_PLAN);
      plan.add(Fault.NETNS);
      return plan;
    }
    System.out.println("no network namespace can be made here (root and iproute2 needed): the plan leaves out "
        + "the network cut");
    return DEFAULT_PLAN;
  }

  /**
   * What a run does beside its faults: when the next fault may begin, and what else goes on while the load runs. The
   * plain run does one fault after another, each plan's fault at least once.
   */
  interface Pace {

    Pace BACK_TO_BACK = new Pace() {
    };

    /** Once the load runs, before the first fault. */
    default void started(Running running) throws InterruptedException {
    }

    /**
     * Waits until fault number {@code done + 1} may begin; says whether it should ({@code deadline} is when the
     * run's duration ends, by {@link System#nanoTime()}).
     */
    default boolean next(int done, int planSize, long deadline) throws InterruptedException {
      return done < planSize || System.nanoTime() - deadline < 0;
    }

    /** Once the load has stopped, before the checks. */
    default void stopped() throws InterruptedException {
    }
  }

  /**
   * A run under way, for its {@link Pace}.
   *
   * @param chaosStarted when the load began ({@link System#nanoTime()})
   */
  record Running(KafkaCluster cluster, Fleet fleet, LoadDriver load, TaskApi api, Topics topics, Timeline timeline,
                 long chaosStarted) {
  }

  static ChaosReport run(ChaosSettings settings, List<Fault> plan, PrintStream out) throws InterruptedException {
    return run(settings, plan, Pace.BACK_TO_BACK, out);
  }

  static ChaosReport run(ChaosSettings settings, List<Fault> plan, Pace pace, PrintStream out)
      throws InterruptedException {
    long started = System.nanoTime();
    QuietKafkaLogs.apply();
    ChaosRun.createDirectories(settings.dir());
    Timeline timeline = new Timeline(settings.dir().resolve("timeline.log"), out);
    Random random = new Random(settings.seed());
    String runId = UUID.randomUUID().toString().substring(0, 8);
    Topics topics = Topics.withPrefix("faults-" + runId + ".");
    String apiKey = "faults-key-" + runId;
    int apiPort = FreePorts.take(1)[0];
    timeline.note("cluster fault run " + runId + ": " + settings + ", faults " + plan);

    try (IsolatedNetwork network = plan.contains(Fault.NETNS) ? IsolatedNetwork.create() : null;
         KafkaCluster cluster = KafkaCluster.start(settings.dir().resolve("cluster"), NODES, BROKER_JVM_ARGS,
             network == null ? null : network.hostAddress())) {
      timeline.note("cluster ready at " + cluster.bootstrapServers() + " (" + cluster + ")");
      TaskApi api = new TaskApi("http://localhost:" + apiPort, apiKey);
      try (Fleet fleet = new Fleet(settings, cluster.bootstrapServers(), topics.prefix(), apiPort, apiKey, api,
          timeline, List.of("--quench.topics.replication-factor=" + NODES))) {
        ServiceProcess isolatedWorker = null;
        if (network != null) {
          isolatedWorker = fleet.addWorker("worker-3", cluster.isolatedBootstrapServers(), network::command);
          timeline.note("worker-3 runs in " + network + ", reaching the cluster at "
              + cluster.isolatedBootstrapServers());
        }
        fleet.start();
        requireReplicated(cluster, topics);
        timeline.note("all services ready; api at " + api.baseUrl() + ", topics " + topics.prefix() + "* on "
            + NODES + " replicas");

        LoadDriver load = new LoadDriver(api, settings, random, runId, timeline);
        Scaling scaling = plan.contains(Fault.SCALE) ? new Scaling(fleet, api, timeline) : null;
        ClusterFaults faults = new ClusterFaults(cluster, fleet, load, topics, settings.partitions(), random,
            timeline, network, isolatedWorker, scaling);
        long chaosStarted = System.nanoTime();
        long deadline = chaosStarted + settings.duration().toNanos();
        load.start();
        try {
          pace.started(new Running(cluster, fleet, load, api, topics, timeline, chaosStarted));
          faults.awaitProgress("before the first fault");
          int done = 0;
          while (pace.next(done, plan.size(), deadline)) {
            faults.run(plan.get(done % plan.size()));
            done++;
            fleet.restartExited();
            faults.awaitProgress("after the fault");
          }
        } finally {
          try {
            load.close();
          } finally {
            pace.stopped();
          }
        }
        Duration chaos = Duration.ofNanos(System.nanoTime() - chaosStarted);

        List<Path> brokerLogs = cluster.nodeIds().stream().map(id -> cluster.kafkaDir(id).resolve("broker.log"))
            .toList();
        Set<String> workers = fleet.workers().stream().map(ServiceProcess::id).collect(Collectors.toSet());
        return ChaosRun.check(new Ending(settings, started, chaos, fleet, load, api, cluster.bootstrapServers(),
            topics, timeline, faults.byKind(), faults.byProcess(), brokerLogs), result -> {
              ZombieCheck.Result zombies = ZombieCheck.check(faults.zombies(), workers, result.histories());
              timeline.note("tasks running on an isolated worker ended " + zombies.endings());
              return zombies.violations();
            }, out);
      }
    }
  }

  /** The services created the topics; a run on fewer replicas than nodes would show nothing about replication. */
  private static void requireReplicated(KafkaCluster cluster, Topics topics) {
    List<String> names = List.of(topics.requests(), topics.log(), topics.view(), topics.deadLetter(),
        topics.batches(), topics.capabilities());
    List<String> tooFew = new ArrayList<>();
    for (String name : names) {
      int replicas = cluster.replicationFactor(name);
      if (replicas != NODES) {
        tooFew.add(name + " has " + replicas);
      }
    }
    if (!tooFew.isEmpty()) {
      throw new IllegalStateException("topics not on " + NODES + " replicas: " + tooFew);
    }
  }

  private static Fault fault(String name) {
    try {
      return Fault.valueOf(name.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--faults: no fault " + name
          + "; use some of " + FAULT_NAMES, e);
    }
  }
}
