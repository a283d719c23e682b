package dev.quench.benchmark.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

class ReportTests {

  @Test
  void percentilesOfKnownLatencies() {
    Histogram histogram = Latency.histogram();
    // 1 ms to 1,000 ms, one each: p50 is 500 ms, p99 990 ms, max 1,000 ms (three significant digits).
    for (int ms = 1; ms <= 1000; ms++) {
      Latency.record(histogram, ms * 1_000_000L);
    }
    Latency latency = Latency.of(histogram);
    assertThat(latency.count()).isEqualTo(1000);
    assertThat(latency.p50Ms()).isBetween(499.0, 501.0);
    assertThat(latency.p99Ms()).isBetween(989.0, 991.0);
    assertThat(latency.p999Ms()).isBetween(998.0, 1001.0);
    assertThat(latency.maxMs()).isBetween(999.0, 1001.0);
    assertThat(latency.summary()).isEqualTo("p50 500 / p99 990 / p99.9 999 / max 1,000 ms");
  }

  @Test
  void negativeAndHugeDurationsAreClamped() {
    Histogram histogram = Latency.histogram();
    Latency.record(histogram, -5);
    Latency.record(histogram, Duration.ofHours(2).toNanos());
    Latency latency = Latency.of(histogram);
    assertThat(latency.count()).isEqualTo(2);
    assertThat(latency.p50Ms()).isZero();
    assertThat(latency.maxMs()).isBetween(599_000.0, 601_000.0);
  }

  @Test
  void noSamplesSaySo() {
    Latency latency = Latency.of(Latency.histogram());
    assertThat(latency.summary()).isEqualTo("no samples");
    assertThat(latency.toMap()).containsEntry("p99_ms", null);
  }

  @Test
  void smallLatenciesKeepOneDecimal() {
    assertThat(Latency.ms(3.14159)).isEqualTo("3.1");
    assertThat(Latency.ms(99.96)).isEqualTo("100.0");
    assertThat(Latency.ms(1234.5)).isEqualTo("1,235");
    assertThat(Latency.ms(Double.NaN)).isEqualTo("-");
  }

  @Test
  void oneTableThreeWays() {
    ResultTable table = new ResultTable();
    table.add("cancel @1,000/s", "due send -> view", "p50 1.0 / p99 2.0 ms", "a | b");
    table.detail("cancel", "max_sustained_rate_per_s", 1000);
    Machine machine = new Machine(2, "cpu", 8L << 30, "Linux", "Java 17", 1L << 30, List.of("-Xmx1g"), 0.5);
    ResultWriter writer = new ResultWriter(Instant.parse("2026-11-23T10:00:00Z"), Duration.ofSeconds(75), machine,
        Map.of("quick", true), table);

    assertThat(writer.console()).contains("| cancel @1,000/s | due send -> view | p50 1.0 / p99 2.0 ms | a | b |")
        .contains("run took 1 min 15 s");
    assertThat(writer.markdown()).contains("| cancel @1,000/s | due send -> view | p50 1.0 / p99 2.0 ms | a \\| b |")
        .contains("`quick=true`");
    assertThat(writer.json()).contains("\"max_sustained_rate_per_s\" : 1000").contains("\"cores\" : 2");
  }
}
