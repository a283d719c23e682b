package dev.quench.standalone;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.quench.events.CancelNoOp;
import dev.quench.events.Envelope;
import dev.quench.events.NoOpReason;
import dev.quench.events.EventType;
import dev.quench.events.TaskRequeued;
import dev.quench.events.TaskStatus;
import dev.quench.events.testing.ApiClient.Response;
import dev.quench.standalone.Services.Service;
import java.util.List;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/** The worker stops in the middle of a run and starts again: everything it knew comes back from Kafka. */
@Order(2)
class WorkerRestartIntegrationTests {

  private final Pipeline pipeline = Pipeline.shared();

  @Test
  void aRestartedWorkerRestoresItsTasksAndKnowsWhatFinishedBefore() {
    String completed = pipeline.submit("echo", "{}");
    pipeline.awaitStatus(completed, "completed");
    String running = pipeline.submit("sleep", "{\"duration_ms\":60000}");
    pipeline.awaitStatus(running, "running");

    pipeline.services.stop(Service.WORKER);
    pipeline.services.start(Service.WORKER);

    // A planned stop hands the run it could not finish back to the queue; the worker that starts runs it again.
    await().atMost(20, SECONDS).untilAsserted(() -> assertThat(pipeline.history(running)).extracting(Envelope::type)
        .containsExactly(EventType.TASK_SUBMITTED, EventType.TASK_STARTED, EventType.TASK_REQUEUED,
            EventType.TASK_STARTED));
    assertThat(pipeline.history(running).get(2).event()).isEqualTo(new TaskRequeued(1, TaskRequeued.WORKER_STOPPED));
    assertThat(pipeline.awaitStatus(running, "running").at("/status")).isEqualTo("running");
    Response again = pipeline.api.post("/v1/tasks/" + completed + "/cancel", null);
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.at("/status")).isEqualTo("completed");
    await().atMost(10, SECONDS).untilAsserted(() -> {
      List<Envelope> history = pipeline.history(completed);
      assertThat(history.get(history.size() - 1).event())
          .isEqualTo(new CancelNoOp(NoOpReason.ALREADY_TERMINAL, TaskStatus.COMPLETED));
    });
    String afterRestart = pipeline.submit("echo", "{}");
    pipeline.awaitStatus(afterRestart, "completed");
    // Its slot is the other tests' again.
    pipeline.api.post("/v1/tasks/" + running + "/cancel", null);
    pipeline.awaitStatus(running, "cancelled");
  }
}
