package dev.quench.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BrokerMainTests {

  @Test
  void watchdogActsOnceTheWatchedProcessExits() throws Exception {
    Process launcher = IdleProcess.start();
    AtomicInteger runs = new AtomicInteger();

    CompletableFuture<Void> watch = BrokerMain.whenGone(launcher.pid(), runs::incrementAndGet);
    assertThat(watch).isNotDone();
    assertThat(runs).hasValue(0);

    launcher.destroyForcibly();

    await().atMost(Duration.ofSeconds(10)).until(watch::isDone);
    assertThat(runs).hasValue(1);
  }

  @Test
  void watchdogActsAtOnceWhenTheProcessIsAlreadyGone() throws Exception {
    Process launcher = IdleProcess.start();
    launcher.destroyForcibly().waitFor();
    AtomicInteger runs = new AtomicInteger();

    CompletableFuture<Void> watch = BrokerMain.whenGone(launcher.pid(), runs::incrementAndGet);

    assertThat(watch).isDone();
    assertThat(runs).hasValue(1);
  }
}
