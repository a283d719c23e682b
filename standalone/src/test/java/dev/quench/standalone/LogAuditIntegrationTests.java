package dev.quench.standalone;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/** Runs last: reads the whole log every end-to-end test wrote, with a plain consumer, and checks the invariants. */
@Order(Integer.MAX_VALUE)
class LogAuditIntegrationTests {

  @Test
  void theWholeLogKeepsTheInvariants() {
    Pipeline pipeline = Pipeline.shared();

    // Strict: once the last views land, every request is in the log and every view equals the fold of its log.
    await().atMost(30, SECONDS).untilAsserted(() -> {
      AuditCommand.Findings findings = AuditCommand.audit(pipeline.bootstrap, pipeline.topics, true);
      AuditCommand.print(findings, System.out);
      assertThat(findings.violations()).isEmpty();
      assertThat(findings.log().tasks()).isGreaterThan(10);
      assertThat(findings.log().cancelRequests()).isGreaterThan(10);
    });
  }
}
