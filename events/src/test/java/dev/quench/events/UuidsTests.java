package dev.quench.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class UuidsTests {

  @Test
  void version5MatchesTheRfcExample() {
    // RFC 9562 appendix A.4: name "www.example.com" in the DNS namespace.
    UUID dns = UUID.fromString("6ba7b810-9dad-11d1-80b4-00c04fd430c8");
    assertThat(Uuids.v5(dns, "www.example.com")).isEqualTo(UUID.fromString("2ed6657d-e927-568b-95e1-2665a8aea6a2"));
  }

  @Test
  void derivedIdsDependOnEveryPartAndOnTheirBoundaries() {
    assertThat(Uuids.derive("a", "b")).isEqualTo(Uuids.derive("a", "b"));
    assertThat(Uuids.derive("a|b")).isNotEqualTo(Uuids.derive("a", "b"));
    assertThat(Uuids.derive("ab", "")).isNotEqualTo(Uuids.derive("a", "b"));
  }

  @Test
  void version7IdsAreTimeOrderedAndWellFormed() {
    UUID earlier = Uuids.v7(1_700_000_000_000L);
    UUID later = Uuids.v7(1_700_000_000_001L);

    assertThat(earlier.version()).isEqualTo(7);
    assertThat(earlier.variant()).isEqualTo(2);
    assertThat(earlier.toString()).isLessThan(later.toString());
  }
}
