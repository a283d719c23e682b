package dev.quench.standalone.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.quench.standalone.chaos.ScaleRun.Result;
import dev.quench.standalone.chaos.ScaleRun.ScaleSettings;
import dev.quench.standalone.chaos.ScaleRun.Shape;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ScaleRunTests {

  @Test
  void shapesAreWorkersByApis() {
    assertThat(Shape.parse(" 3x2 ")).isEqualTo(new Shape(3, 2));
    assertThat(Shape.parse("1X1").toString()).isEqualTo("1 worker, 1 api");
    assertThatThrownBy(() -> Shape.parse("3")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Shape.parse("0x1")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void settingsDefaultToEveryShapeOfOneToThreeWorkersAndOneOrTwoApis() {
    ScaleSettings defaults = ScaleSettings.from();
    assertThat(defaults.shapes()).containsExactly(new Shape(1, 1), new Shape(2, 1), new Shape(3, 1), new Shape(3, 2),
        new Shape(2, 2), new Shape(1, 2));
    assertThat(defaults.serviceJvmArgs()).contains("-Xmx512m").doesNotContain("-XX:TieredStopAtLevel=1");

    ScaleSettings given = ScaleSettings.from("--shapes=2x1", "--step=5s", "--in-flight=8",
        "--service-jvm-args=-Xmx1g  -XX:+UseSerialGC");
    assertThat(given.shapes()).containsExactly(new Shape(2, 1));
    assertThat(given.step()).isEqualTo(Duration.ofSeconds(5));
    assertThat(given.inFlight()).isEqualTo(8);
    assertThat(given.serviceJvmArgs()).containsExactly("-Xmx1g", "-XX:+UseSerialGC");
    assertThatThrownBy(() -> ScaleSettings.from("--in-flight=0")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void cpuPerRequestIsSummedByRoleOverTheAcknowledged() {
    Map<String, Double> cpu = new LinkedHashMap<>();
    cpu.put("api-1", 300.0);
    cpu.put("api-2", 100.0);
    cpu.put("worker-1", 200.0);
    cpu.put("projector-1", 50.0);
    cpu.put("projector-2", 50.0);
    cpu.put("broker-1", 100.0);
    ScaleStep.Figures f = new ScaleStep.Figures(400, 3, 100.0, 5.0, 20.0, cpu, Duration.ofSeconds(2));

    assertThat(f.perRequest("api")).isEqualTo(1.0);
    assertThat(f.perRequest("worker")).isEqualTo(0.5);
    assertThat(f.perRequest("projector")).isEqualTo(0.25);
    assertThat(f.perRequest()).isEqualTo(2.0);
    assertThat(f.coresBusy()).isEqualTo(0.4);

    // Idle over 1 s: api-1 50 ms, broker-1 25 ms; over this 2 s window that is 100 and 50 of theirs.
    ScaleStep.Figures idle = new ScaleStep.Figures(0, 0, 0, null, null, Map.of("api-1", 50.0, "broker-1", 25.0),
        Duration.ofSeconds(1));
    assertThat(f.marginal("api", idle)).isEqualTo((200.0 + 100.0) / 400);
    assertThat(f.marginal("broker", idle)).isEqualTo(50.0 / 400);
    assertThat(f.marginal("", idle)).isEqualTo((800.0 - 150.0) / 400);
  }

  @Test
  void quantilesAreByNearestRank() {
    List<Long> sorted = List.of(1_000_000L, 2_000_000L, 3_000_000L, 4_000_000L);
    assertThat(ScaleStep.millis(sorted, 0.5)).isEqualTo(2.0);
    assertThat(ScaleStep.millis(sorted, 0.99)).isEqualTo(4.0);
    assertThat(ScaleStep.millis(List.of(), 0.5)).isNull();
  }

  @Test
  void theTableHasARowAShapeForCreatesAndForCancels() {
    ScaleStep.Figures f = new ScaleStep.Figures(100, 0, 50.0, 10.0, 30.0, Map.of("api-1", 100.0),
        Duration.ofSeconds(1));
    ScaleStep.Figures idle = new ScaleStep.Figures(0, 0, 0, null, null, Map.of("api-1", 10.0),
        Duration.ofSeconds(1));
    String table = ScaleRun.table(List.of(new Result(new Shape(1, 1), idle, f, f),
            new Result(new Shape(2, 1), idle, f, f)),
        ScaleSettings.from(), ChaosSettings.from());

    assertThat(table).contains("| workers | apis | creates/s |", "| workers | apis | cancels/s |",
        "| 1 | 1 | 50 | 10.0 | 30.0 | 1.00 | 0.90 | 0.90 |", "| 2 | 1 | 50 |", "0.10 (0.01)");
  }
}
