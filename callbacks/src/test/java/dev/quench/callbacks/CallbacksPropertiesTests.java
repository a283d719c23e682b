package dev.quench.callbacks;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

/** The settings as text (a log line, an error) never carry a signing secret. */
class CallbacksPropertiesTests {

  @Test
  void toStringShowsWhetherSecretsAreSetNeverTheirValues() {
    CallbacksProperties properties = new CallbacksProperties("cb-1", null, null, 0.1, Duration.ofSeconds(5),
        Duration.ofSeconds(15), DataSize.ofKilobytes(8), 16, Duration.ofMillis(200), Duration.ofMillis(100),
        Duration.ofSeconds(1),
        new BigDecimal("0.01"), List.of(new CallbacksProperties.Secret("acme", Deliverers.SECRET)),
        Deliverers.NEXT_SECRET, null);

    assertThat(properties.toString()).doesNotContain(Deliverers.SECRET, Deliverers.NEXT_SECRET, "whsec_")
        .contains("cb-1", "tenant=acme", "[redacted]");
    assertThat(properties.secrets().get(0).toString()).doesNotContain(Deliverers.SECRET);
  }
}
