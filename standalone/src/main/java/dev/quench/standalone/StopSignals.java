package dev.quench.standalone;

import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * Ctrl-C (SIGINT) and SIGTERM as a planned stop: the launcher closes everything in order and exits with status 0,
 * as a service that was asked to stop and did. The JVM's own handling would run the same shutdown, then exit with
 * 130 or 143, which {@code spring-boot:run} and service managers report as a failure.
 *
 * <p>A JVM that cannot install the handlers (another platform, a {@code -Xrs} JVM) falls back to a shutdown hook:
 * the same orderly stop, with the JVM's exit status.
 */
final class StopSignals {

  private static final Logger log = LoggerFactory.getLogger(StopSignals.class);

  private StopSignals() {
  }

  /** Runs {@code stop} once, on the first of SIGINT, SIGTERM or JVM shutdown. */
  static void onStop(Runnable stop) {
    AtomicBoolean stopping = new AtomicBoolean();
    Runnable once = () -> {
      if (stopping.compareAndSet(false, true)) {
        stop.run();
      }
    };
    Runtime.getRuntime().addShutdownHook(new Thread(once, "quench-standalone-stop"));
    for (String name : new String[] {"INT", "TERM"}) {
      try {
        Signal.handle(new Signal(name), signal -> new Thread(() -> {
          log.info("SIG{}: stopping", name);
          once.run();
          System.exit(0);
        }, "quench-standalone-sig" + name.toLowerCase()).start());
      } catch (IllegalArgumentException | UnsupportedOperationException e) {
        log.debug("cannot handle SIG{}; the shutdown hook stops quench instead", name, e);
      }
    }
  }
}
