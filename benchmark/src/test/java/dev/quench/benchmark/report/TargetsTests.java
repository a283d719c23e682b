package dev.quench.benchmark.report;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quench.benchmark.report.Targets.Judgement;
import dev.quench.benchmark.report.Targets.Verdict;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TargetsTests {

  @Test
  void nothingRunNothingMeasured() {
    List<Judgement> all = Targets.judge(Map.of());
    assertThat(all).hasSize(13).allSatisfy(j -> assertThat(j.verdict()).isEqualTo(Verdict.NOT_MEASURED));
    assertThat(all.get(0).why()).isEqualTo("cancel not run, reads not run");
  }

  @Test
  void ratiosAreTakenWithinTheRun() {
    Map<String, Double> figures = new HashMap<>(Map.of(Targets.CANCELS_SUSTAINED, 62.0, Targets.READS, 4395.0,
        Targets.HTTP_CEILING, 8000.0, Targets.CREATES, 2200.0));
    List<Judgement> all = Targets.judge(figures);
    assertThat(all.get(0).verdict()).isEqualTo(Verdict.NOT_MET);
    assertThat(all.get(0).measured()).isEqualTo("62 cancels/s = 0.01 x 4,395 reads/s");
    assertThat(all.get(1).verdict()).isEqualTo(Verdict.MET);
    // 2,200 is just over half of 4,395.
    assertThat(all.get(4).verdict()).isEqualTo(Verdict.MET);
    figures.remove(Targets.HTTP_CEILING);
    assertThat(Targets.judge(figures).get(1)).extracting(Judgement::verdict, Judgement::why)
        .containsExactly(Verdict.NOT_MEASURED, "http-ceiling not run");
  }

  @Test
  void cancelAt1000NeedsBothBoundsAndBothFigures() {
    assertThat(judge(Targets.CANCEL_1000_P99, 30.0, Targets.RELAY_TX_1000_P99, 46.8).verdict()).isEqualTo(Verdict.MET);
    // Under 50 ms but more than three times the relay's p99.
    assertThat(judge(Targets.CANCEL_1000_P99, 40.0, Targets.RELAY_TX_1000_P99, 10.0).verdict())
        .isEqualTo(Verdict.NOT_MET);
    Judgement saturated = judge(Targets.CANCEL_1000_P99, 9372.0, Targets.RELAY_TX_1000_P99, 46.8);
    assertThat(saturated.verdict()).isEqualTo(Verdict.NOT_MET);
    assertThat(saturated.measured()).isEqualTo("p99 9,372 ms; relay tx p99 46.8 ms (x 200.3)");
    // Over 50 ms is not met without the relay; under it, the relay's bound is unknown.
    assertThat(Targets.judge(Map.of(Targets.CANCEL_1000_P99, 60.0)).get(2).verdict()).isEqualTo(Verdict.NOT_MET);
    assertThat(Targets.judge(Map.of(Targets.CANCEL_1000_P99, 20.0)).get(2)).extracting(Judgement::verdict,
        Judgement::why).containsExactly(Verdict.NOT_MEASURED, "baseline tx at 1000/s not run");
    assertThat(Targets.judge(Map.of(Targets.CANCEL_1000_P99, Double.NaN)).get(2).verdict())
        .isEqualTo(Verdict.NOT_MET);
  }

  @Test
  void aBurstIsJudgedAtTheTargetsSizeOnly() {
    assertThat(judge(Targets.BURST_MS, 3900.0, Targets.BURST_TASKS, 20_000.0).verdict()).isEqualTo(Verdict.MET);
    assertThat(judge(Targets.BURST_MS, 20_400.0, Targets.BURST_TASKS, 20_000.0).verdict())
        .isEqualTo(Verdict.NOT_MET);
    Judgement small = judge(Targets.BURST_MS, 1500.0, Targets.BURST_TASKS, 2_000.0);
    assertThat(small).extracting(Judgement::measured, Judgement::verdict, Judgement::why)
        .containsExactly("1.50 s for 2,000 tasks", Verdict.NOT_MEASURED, "ran 2,000 tasks, the target is for 20,000");
    // A smaller burst already over 4 s: 20,000 would not be faster.
    assertThat(judge(Targets.BURST_MS, 4100.0, Targets.BURST_TASKS, 2_000.0).verdict()).isEqualTo(Verdict.NOT_MET);
    assertThat(judge(Targets.BURST_MS, Double.NaN, Targets.BURST_TASKS, 20_000.0).verdict())
        .isEqualTo(Verdict.NOT_MET);
  }

  @Test
  void boundsAreInclusive() {
    Map<String, Double> figures = Map.of(Targets.REBUILD, 100_000.0, Targets.STOP_P99, 5.0, Targets.CPU_CANCEL, 0.4,
        Targets.CPU_CREATE, 0.51, Targets.CPU_READ, 0.15);
    List<Judgement> all = Targets.judge(figures);
    assertThat(all.subList(5, 10)).extracting(Judgement::verdict)
        .containsExactly(Verdict.MET, Verdict.MET, Verdict.MET, Verdict.NOT_MET, Verdict.MET);
    assertThat(all.get(7).measured()).isEqualTo("0.400 ms");
  }

  @Test
  void aFigureThatRanAndFoundNothingSaysSo() {
    assertThat(Targets.judge(Map.of(Targets.CPU_READ, Double.NaN)).get(9).why()).isEqualTo("reads measured nothing");
  }

  @Test
  void theTableGetsARowPerTarget() {
    ResultTable table = new ResultTable();
    table.figure(Targets.STOP_P99, 7.2);
    Targets.addTo(table);
    assertThat(table.rows()).hasSize(13);
    assertThat(table.rows().get(6)).extracting(ResultTable.Row::section, ResultTable.Row::result,
        ResultTable.Row::notes).containsExactly("targets", "7.2 ms", "not met");
    assertThat(table.rows().get(5).notes()).isEqualTo("not measured (rebuild not run)");
  }

  @Test
  void notifyLatenciesAreJudgedAtTheTargetsScaleOnlyAndAMissingOneIsNotMet() {
    Judgement callbacks = Targets.judge(Map.of(Targets.NOTIFY_CALLBACK_P99, 42.0, Targets.NOTIFY_CALLBACK_RATE,
        498.0)).get(10);
    assertThat(callbacks).extracting(Judgement::measured, Judgement::verdict)
        .containsExactly("p99 42.0 ms at 498 terminal tasks/s", Verdict.MET);
    // Under the bound, but at 300/s: nothing said about 500/s. Over it at 300/s: 500/s would not be faster.
    assertThat(Targets.judge(Map.of(Targets.NOTIFY_CALLBACK_P99, 42.0, Targets.NOTIFY_CALLBACK_RATE, 300.0)).get(10)
        .verdict()).isEqualTo(Verdict.NOT_MEASURED);
    assertThat(Targets.judge(Map.of(Targets.NOTIFY_CALLBACK_P99, 142.0, Targets.NOTIFY_CALLBACK_RATE, 300.0))
        .get(10).verdict()).isEqualTo(Verdict.NOT_MET);
    assertThat(Targets.judge(Map.of(Targets.NOTIFY_SSE_P99, Double.NaN, Targets.NOTIFY_SSE_STREAMS, 1000.0))
        .get(11)).extracting(Judgement::verdict, Judgement::why).containsExactly(Verdict.NOT_MET,
        "none may be missing");
    assertThat(Targets.judge(Map.of(Targets.NOTIFY_SSE_P99, 12.0, Targets.NOTIFY_SSE_STREAMS, 200.0)).get(11)
        .verdict()).isEqualTo(Verdict.NOT_MEASURED);
    assertThat(Targets.judge(Map.of(Targets.NOTIFY_WAIT_P99, 50.0)).get(12).verdict()).isEqualTo(Verdict.MET);
    assertThat(Targets.judge(Map.of()).get(12).why()).isEqualTo("notify not run");
  }

  private static Judgement judge(String key, double value, String otherKey, double other) {
    Map<String, Double> figures = Map.of(key, value, otherKey, other);
    return Targets.judge(figures).stream().filter(j -> j.target().startsWith(key.startsWith("burst") ? "20,000"
        : "cancel @")).findFirst().orElseThrow();
  }
}
