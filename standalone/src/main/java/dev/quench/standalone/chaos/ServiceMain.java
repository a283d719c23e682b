package dev.quench.standalone.chaos;

import java.lang.reflect.InvocationTargetException;
import java.util.Arrays;
import java.util.Optional;

/**
 * The main class of every service process of a chaos run:
 * {@code ServiceMain <launcher pid> <application main class> <arguments...>}. Runs the application's own
 * {@code main} in this JVM, so a SIGKILL of this process is a SIGKILL of the service.
 *
 * <p>It ends the service when the chaos run's JVM is gone: a harness killed by a test timeout, or by Ctrl-C before it
 * could clean up, would otherwise leave five JVMs running on a machine it shares.
 */
final class ServiceMain {

  private ServiceMain() {
  }

  public static void main(String[] args) throws Throwable {
    if (args.length < 2) {
      System.err.println("usage: ServiceMain <launcher pid> <main class> [arguments...]");
      System.exit(2);
    }
    long launcherPid = Long.parseLong(args[0]);
    Optional<ProcessHandle> launcher = ProcessHandle.of(launcherPid);
    // halt, not exit: an orphan has nobody left to serve, and a graceful shutdown could take its full grace period.
    if (launcher.isEmpty() || !launcher.get().isAlive()) {
      Runtime.getRuntime().halt(3);
    }
    launcher.get().onExit().thenRun(() -> {
      System.out.println("chaos: launcher process " + launcherPid + " is gone, halting");
      Runtime.getRuntime().halt(3);
    });
    try {
      Class.forName(args[1]).getMethod("main", String[].class)
          .invoke(null, (Object) Arrays.copyOfRange(args, 2, args.length));
    } catch (InvocationTargetException e) {
      throw e.getCause();
    }
  }
}
