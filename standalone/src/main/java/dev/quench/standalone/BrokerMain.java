package dev.quench.standalone;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The main class of the broker's child JVM: {@code BrokerMain <launcher pid> <server.properties>}.
 *
 * <p>It ties the broker's life to the launcher's. {@link KafkaBroker#close()} stops the broker, but a launcher that
 * is SIGKILLed, or crashes, cannot, and an orphaned broker would hold the port and the log directory lock so that
 * the next launch fails.
 */
final class BrokerMain {

  private BrokerMain() {
  }

  public static void main(String[] args) {
    if (args.length != 2) {
      System.err.println("usage: BrokerMain <launcher pid> <server.properties>");
      System.exit(2);
    }
    long launcherPid = Long.parseLong(args[0]);
    // Runtime.exit rather than halt: Kafka's shutdown hook then flushes and closes the logs, so the next start
    // needs no recovery.
    whenGone(launcherPid, () -> {
      System.out.println("quench: launcher process " + launcherPid + " is gone, stopping the broker");
      Runtime.getRuntime().exit(0);
    });
    kafka.Kafka.main(new String[] {args[1]});
  }

  /**
   * Runs {@code action} once the process {@code pid} has exited, at once if it is not running now.
   *
   * <p>The JDK watches a process that is not our child by polling it, at most every 5 s, and notices a reused pid
   * by the changed start time.
   */
  static CompletableFuture<Void> whenGone(long pid, Runnable action) {
    Optional<ProcessHandle> process = ProcessHandle.of(pid);
    if (process.isEmpty() || !process.get().isAlive()) {
      action.run();
      return CompletableFuture.completedFuture(null);
    }
    return process.get().onExit().thenRun(action);
  }
}
