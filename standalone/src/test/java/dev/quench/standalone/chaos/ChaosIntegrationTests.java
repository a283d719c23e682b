package dev.quench.standalone.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The short chaos run: about two minutes of load while a random process (api, worker or projector, each a JVM of
 * its own) is SIGKILLed every few seconds and started again; then the whole log is checked. The long run is
 * {@link ChaosRun}'s main, in the README.
 */
class ChaosIntegrationTests {

  @Test
  @Timeout(value = 8, unit = TimeUnit.MINUTES)
  void killingAnyProcessAtAnyMomentLosesNothingAndBreaksNoInvariant() throws InterruptedException {
    // Under target, not a temporary directory: the services' logs are the evidence when this fails.
    Path dir = Path.of("target", "chaos",
        LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")));
    ChaosSettings settings = ChaosSettings.from("--duration=100s", "--kill-every=5s", "--rate=2",
        "--quiet-timeout=90s", "--dir=" + dir);

    ChaosReport report = ChaosRun.run(settings, System.out);
    report.print(System.out);

    assertThat(report.violations()).as("violations; logs in %s", report.dir()).isEmpty();
    assertThat(report.lost()).as("acknowledged requests missing from the log; logs in %s", report.dir()).isEmpty();
    assertThat(report.killsByRole()).as("kills per role").containsKeys("api", "worker", "projector");
    assertThat(report.creates()).as("acknowledged creates").isGreaterThan(80);
    assertThat(report.cancels()).as("acknowledged cancels").isGreaterThan(50);
    assertThat(report.tasksByStatus()).as("tasks by final status").containsKeys("completed", "cancelled");
  }
}
