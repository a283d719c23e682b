package dev.quench.events;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class PayloadLimitsTests {

  private final JsonMapper json = JsonMapper.builder().build();

  @Test
  void depthCountsTheDeepestNesting() {
    assertThat(PayloadLimits.depth(json.readTree("1"))).isZero();
    assertThat(PayloadLimits.depth(json.readTree("{}"))).isEqualTo(1);
    assertThat(PayloadLimits.depth(json.readTree("{\"a\":[1,{\"b\":[]}],\"c\":2}"))).isEqualTo(4);
    assertThat(PayloadLimits.depth(json.readTree("[".repeat(300) + "]".repeat(300)))).isEqualTo(300);
  }
}
