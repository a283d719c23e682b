package dev.quench.events.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The test's own exposition-format parser reads what Prometheus reads, and refuses what it refuses. */
class PrometheusTextTests {

  private static final String SCRAPE = """
      # HELP quench_cancel_outcomes_total cancel requests by outcome
      # TYPE quench_cancel_outcomes_total counter
      quench_cancel_outcomes_total{outcome="cancelled",service="projector",was="queued"} 3.0
      quench_cancel_outcomes_total{outcome="already_terminal",service="projector",was="none"} 1.0
      # HELP lat_seconds a histogram
      # TYPE lat_seconds histogram
      lat_seconds_bucket{outcome="cancelled",le="0.01"} 1
      lat_seconds_bucket{outcome="cancelled",le="0.1"} 3
      lat_seconds_bucket{outcome="cancelled",le="+Inf"} 3
      lat_seconds_count{outcome="cancelled"} 3
      lat_seconds_sum{outcome="cancelled"} 0.125
      # TYPE odd gauge
      odd{path="a\\\\b \\"q\\" \\nx",} NaN 1700000000000
      odd{path="inf"} -Inf
      """;

  @Test
  void readsCountersHistogramsAndEscapedLabels() {
    PrometheusText text = PrometheusText.parse(SCRAPE);

    assertThat(text.family("quench_cancel_outcomes_total").type()).isEqualTo("counter");
    assertThat(text.sum("quench_cancel_outcomes_total", Map.of("service", "projector"))).isEqualTo(4.0);
    assertThat(text.sum("quench_cancel_outcomes_total", Map.of("outcome", "cancelled"))).isEqualTo(3.0);
    PrometheusText.Histogram histogram = text.histogram("lat_seconds", Map.of("outcome", "cancelled"));
    assertThat(histogram.count()).isEqualTo(3.0);
    assertThat(histogram.sum()).isEqualTo(0.125);
    assertThat(histogram.buckets()).containsEntry(0.01, 1.0).containsEntry(Double.POSITIVE_INFINITY, 3.0);
    PrometheusText.Sample odd = text.samples("odd", Map.of()).get(0);
    assertThat(odd.labels()).containsEntry("path", "a\\b \"q\" \nx");
    assertThat(odd.value()).isNaN();
    assertThat(odd.timestampMillis()).isEqualTo(1700000000000L);
    assertThat(text.samples("odd", Map.of("path", "inf")).get(0).value()).isEqualTo(Double.NEGATIVE_INFINITY);
  }

  @Test
  void refusesWhatPrometheusRefuses() {
    assertThatThrownBy(() -> PrometheusText.parse("a{b=\"c\"} 1\na{b=\"c\"} 2\n")).hasMessageContaining("twice");
    assertThatThrownBy(() -> PrometheusText.parse("a{b=c} 1\n")).hasMessageContaining("quoted");
    assertThatThrownBy(() -> PrometheusText.parse("a{b=\"c} 1\n")).hasMessageContaining("unterminated");
    assertThatThrownBy(() -> PrometheusText.parse("a one\n")).hasMessageContaining("bad value");
    assertThatThrownBy(() -> PrometheusText.parse("# TYPE a gauge\n# TYPE a gauge\n")).hasMessageContaining("second");
    assertThatThrownBy(() -> PrometheusText.parse("a 1\nb 1\na{x=\"y\"} 1\n")).hasMessageContaining("continues");
    assertThatThrownBy(() -> PrometheusText.parse("""
        # TYPE h histogram
        h_bucket{le="1"} 2
        h_bucket{le="+Inf"} 1
        h_count 1
        h_sum 1
        """)).hasMessageContaining("cumulative");
    assertThatThrownBy(() -> PrometheusText.parse("""
        # TYPE h histogram
        h_bucket{le="+Inf"} 2
        h_count 3
        h_sum 1
        """)).hasMessageContaining("_count");
  }
}
