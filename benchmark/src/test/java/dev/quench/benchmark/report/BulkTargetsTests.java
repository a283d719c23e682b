package dev.quench.benchmark.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quench.benchmark.report.Targets.Judgement;
import dev.quench.benchmark.report.Targets.Verdict;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BulkTargetsTests {

  @Test
  void nothingRunNothingMeasured() {
    List<Judgement> all = BulkTargets.judge(Map.of());
    assertThat(all).hasSize(4).allSatisfy(j -> assertThat(j.verdict()).isEqualTo(Verdict.NOT_MEASURED));
  }

  @Test
  void aTargetForASizeIsOnlyMetAtThatSize() {
    assertThat(BulkTargets.large(Map.of(BulkTargets.LARGE_MS, 3200.0, BulkTargets.LARGE_TASKS, 100_000.0)))
        .extracting(Judgement::verdict, Judgement::measured)
        .containsExactly(Verdict.MET, "3.20 s for 100,000 tasks");
    assertThat(BulkTargets.large(Map.of(BulkTargets.LARGE_MS, 800.0, BulkTargets.LARGE_TASKS, 5_000.0)))
        .extracting(Judgement::verdict, Judgement::why)
        .containsExactly(Verdict.NOT_MEASURED, "ran 5,000 tasks, the target is for 100,000");
    // Fewer tasks and already over the bound: the full size would not be faster.
    assertThat(BulkTargets.queued(Map.of(BulkTargets.QUEUED_MS, 1500.0, BulkTargets.QUEUED_TASKS, 2_000.0))
        .verdict()).isEqualTo(Verdict.NOT_MET);
    assertThat(BulkTargets.queued(Map.of(BulkTargets.QUEUED_MS, Double.NaN, BulkTargets.QUEUED_TASKS, 20_000.0))
        .verdict()).isEqualTo(Verdict.NOT_MET);
  }

  @Test
  void aDryRunMustBeExactAsWellAsFast() {
    Map<String, Double> fast = Map.of(BulkTargets.LARGE_DRY_RUN_MS, 120.0, BulkTargets.LARGE_TASKS, 100_000.0,
        BulkTargets.LARGE_DRY_RUN_MATCHED, 100_000.0);
    assertThat(BulkTargets.dryRun(fast).verdict()).isEqualTo(Verdict.MET);
    Map<String, Double> inexact = Map.of(BulkTargets.LARGE_DRY_RUN_MS, 120.0, BulkTargets.LARGE_TASKS, 100_000.0,
        BulkTargets.LARGE_DRY_RUN_MATCHED, 99_999.0);
    assertThat(BulkTargets.dryRun(inexact)).extracting(Judgement::verdict, Judgement::measured)
        .containsExactly(Verdict.NOT_MET, "120 ms, matched 99,999 of 100,000 (NOT EXACT)");
  }

  @Test
  void runningTasksAreJudgedOnTheirP99() {
    assertThat(BulkTargets.running(Map.of(BulkTargets.RUNNING_P99, 12.0, BulkTargets.RUNNING_TASKS, 256.0))
        .verdict()).isEqualTo(Verdict.MET);
    assertThat(BulkTargets.running(Map.of(BulkTargets.RUNNING_P99, 60.0, BulkTargets.RUNNING_TASKS, 256.0))
        .verdict()).isEqualTo(Verdict.NOT_MET);
    assertThat(BulkTargets.beside(BulkTargets.running(Map.of(BulkTargets.RUNNING_P99, 12.0,
        BulkTargets.RUNNING_TASKS, 32.0)))).isEqualTo("issue 11: 256 running, one batch: p99 202 -> handler sees "
        + "its token <= 50 ms: not measured (ran 32 tasks, the target is for 256)");
  }
}
