package dev.quench.benchmark.cancel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BulkTests {

  // A 202's batch object as the api renders it (BatchResource), abridged to what the section reads and a few more.
  private static final String RUNNING = """
      {"object":"cancellation_batch","batch_id":"6f1c0f52-6e0e-4a57-9d43-6f3f3f5f7a01","status":"running",
       "selection":"filter","filter":{"status":["queued"],"metadata":{"campaign":"x"}},"root_task_id":null,
       "matched":3,"not_found":0,"counts":{"pending":1,"requested":0,"cancelled_queued":2,"cancelled_running":0,
       "already_terminal":0,"not_found":0,"aborted":0},"reason":"benchmark bulk","max_per_second":null,
       "created_at":"2026-12-02T10:00:00.100Z","completed_at":null,"abort_requested_at":null,
       "links":{"self":"/v1/cancellation_batches/6f1c","tasks":"/t","abort":"/a"}}""";

  @Test
  void aRunningBatchIsNotDone() {
    BatchStatus batch = BatchStatus.parse(RUNNING);
    assertThat(batch.batchId()).isEqualTo("6f1c0f52-6e0e-4a57-9d43-6f3f3f5f7a01");
    assertThat(batch.status()).isEqualTo("running");
    assertThat(batch.done()).isFalse();
    assertThat(batch.matched()).isEqualTo(3);
    assertThat(batch.cancelled()).isEqualTo(2);
    assertThat(batch.serverTook()).isNull();
    assertThat(batch.nonZeroCounts()).isEqualTo("pending 1, cancelled_queued 2");
  }

  @Test
  void aCompletedBatchSaysHowLongItTookByItsOwnClock() {
    BatchStatus batch = BatchStatus.parse(RUNNING.replace("\"running\"", "\"completed\"")
        .replace("\"pending\":1", "\"pending\":0").replace("\"cancelled_running\":0", "\"cancelled_running\":1")
        .replace("\"completed_at\":null", "\"completed_at\":\"2026-12-02T10:00:00.850Z\""));
    assertThat(batch.done()).isTrue();
    assertThat(batch.cancelled()).isEqualTo(3);
    assertThat(batch.serverTook()).isEqualTo(Duration.ofMillis(750));
  }

  @Test
  void anAbortedBatchIsDoneToo() {
    assertThat(BatchStatus.parse(RUNNING.replace("\"running\"", "\"aborted\"")).done()).isTrue();
  }

  @Test
  void aDryRunHasItsMatchedCountAndNothingElse() {
    BatchStatus preview = BatchStatus.parse("""
        {"object":"cancellation_batch_preview","dry_run":true,"matched":20000,"not_found":0,
         "task_ids":["a","b"],"not_found_ids":[]}""");
    assertThat(preview.matched()).isEqualTo(20_000);
    assertThat(preview.batchId()).isNull();
    assertThat(preview.status()).isNull();
    assertThat(preview.done()).isFalse();
    assertThat(preview.nonZeroCounts()).isEqualTo("none");
  }

  @Test
  void anErrorBodyHasNoMatchedCount() {
    BatchStatus error = BatchStatus.parse("{\"error\":{\"type\":\"invalid_request\",\"message\":\"no\"}}");
    assertThat(error.matched()).isEqualTo(-1);
    assertThat(error.done()).isFalse();
  }

  @Test
  void aBodyThatIsNoObjectIsRefused() {
    assertThatThrownBy(() -> BatchStatus.parse("[1,2]")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void sameSizesCompareTheirTimes() {
    BulkVsBurst both = new BulkVsBurst(1_500, 20_000, 0.05, 15_000, 20_000, 0.5);
    assertThat(both.timeRatio()).contains("0.100 ×");
    assertThat(both.notes()).isEqualTo("bulk 1.50 s for 20,000 tasks (one request) vs burst 15.00 s for 20,000 "
        + "(one request each); CPU ms per task 0.050 vs 0.500 (0.10 ×)");
  }

  @Test
  void differentSizesCompareTheTimePerTask() {
    // 1 s for 4,000 is 0.25 ms a task; 2 s for 2,000 is 1 ms a task.
    BulkVsBurst both = new BulkVsBurst(1_000, 4_000, Double.NaN, 2_000, 2_000, 0.4);
    assertThat(both.timeRatio()).contains("0.250 × per task");
    assertThat(both.notes()).isEqualTo("bulk 1.00 s for 4,000 tasks (one request) vs burst 2.00 s for 2,000 "
        + "(one request each); sizes differ, so per task");
  }

  @Test
  void aSideThatDidNotShowEveryTaskHasNoRatio() {
    assertThat(new BulkVsBurst(Double.NaN, 2_000, 0.1, 2_000, 2_000, 0.4).timeRatio()).isEmpty();
    assertThat(new BulkVsBurst(1_000, 2_000, 0.1, Double.NaN, 2_000, 0.4).timeRatio()).isEmpty();
    assertThat(new BulkVsBurst(1_000, 2_000, 0.1, Double.NaN, 2_000, 0.4).notes())
        .startsWith("bulk 1.00 s for 2,000 tasks (one request) vs burst not all shown for 2,000");
  }
}
