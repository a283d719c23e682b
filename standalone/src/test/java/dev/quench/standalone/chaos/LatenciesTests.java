package dev.quench.standalone.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quench.standalone.chaos.LoadDriver.Kind;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Latencies are read by kind and window, and their quantiles by the nearest rank. */
class LatenciesTests {

  @Test
  void aWindowHoldsTheRequestsOfItsKindAnsweredInIt() {
    Latencies latencies = new Latencies();
    latencies.record(Kind.CANCEL, 0, 5_000_000);
    latencies.record(Kind.CREATE, 0, 6_000_000);
    latencies.record(Kind.CANCEL, 10_000_000, 30_000_000);

    assertThat(latencies.millis(Kind.CANCEL, 0, 10_000_000)).containsExactly(5.0);
    assertThat(latencies.millis(Kind.CANCEL, 10_000_000, 40_000_000)).containsExactly(20.0);
    assertThat(latencies.millis(Kind.CREATE, 0, 40_000_000)).containsExactly(6.0);
  }

  @Test
  void theP99OfAHundredIsTheNinetyNinthSmallest() {
    List<Double> values = new ArrayList<>();
    for (int i = 100; i >= 1; i--) {
      values.add((double) i);
    }

    assertThat(Latencies.quantile(values, 0.99)).isEqualTo(99.0);
    assertThat(Latencies.quantile(values, 0.5)).isEqualTo(50.0);
    assertThat(Latencies.quantile(List.of(7.0), 0.99)).isEqualTo(7.0);
    assertThat(Latencies.quantile(List.of(), 0.99)).isNull();
  }
}
