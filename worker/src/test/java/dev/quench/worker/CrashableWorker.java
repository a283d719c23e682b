package dev.quench.worker;

import java.util.Arrays;
import java.util.Optional;

/**
 * The main class of a worker that a test runs as a process of its own, to SIGKILL it: a crash, not a planned stop.
 * {@code CrashableWorker <test JVM pid> <worker arguments...>}. It halts if the test JVM goes away, so a test killed
 * by a timeout leaves no worker running.
 */
public final class CrashableWorker {

  private CrashableWorker() {
  }

  public static void main(String[] args) {
    long parent = Long.parseLong(args[0]);
    Optional<ProcessHandle> test = ProcessHandle.of(parent);
    if (test.isEmpty() || !test.get().isAlive()) {
      Runtime.getRuntime().halt(3);
    }
    test.get().onExit().thenRun(() -> Runtime.getRuntime().halt(3));
    WorkerApplication.main(Arrays.copyOfRange(args, 1, args.length));
  }
}
