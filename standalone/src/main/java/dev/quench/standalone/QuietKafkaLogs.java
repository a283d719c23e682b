package dev.quench.standalone;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.slf4j.LoggerFactory;

/**
 * For the command-line programs (the standalone launcher, the audit, the chaos run, the benchmark): until a Spring
 * application sets up logging, Logback's defaults log everything, and every Kafka client made before that (the
 * broker probe, the audit's consumers) would print its whole configuration, some hundred lines each.
 */
public final class QuietKafkaLogs {

  private QuietKafkaLogs() {
  }

  /** INFO for the program's own lines, WARN for the Kafka clients. */
  public static void apply() {
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.INFO);
    ((Logger) LoggerFactory.getLogger("org.apache.kafka")).setLevel(Level.WARN);
  }
}
