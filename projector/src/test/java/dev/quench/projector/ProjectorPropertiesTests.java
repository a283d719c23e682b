package dev.quench.projector;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProjectorPropertiesTests {

  private static final Duration SECOND = Duration.ofSeconds(1);

  @Test
  void anInstanceWithoutAnIdIsNamedAfterItsHost() {
    assertThat(new ProjectorProperties(null, null, SECOND, SECOND, SECOND, 0, SECOND).id()).isNotBlank();
    assertThat(new ProjectorProperties(" ", null, SECOND, SECOND, SECOND, 0, SECOND).id()).isNotBlank();
  }

  @Test
  void theGroupIsNamespacedByTheTopicPrefixUnlessSet() {
    assertThat(new ProjectorProperties("p-1", null, SECOND, SECOND, SECOND, 0, SECOND).groupIdFor(""))
        .isEqualTo("quench-projector");
    assertThat(new ProjectorProperties("p-1", null, SECOND, SECOND, SECOND, 0, SECOND).groupIdFor("staging."))
        .isEqualTo("staging.quench-projector");
    assertThat(new ProjectorProperties("p-1", "rebuild-7", SECOND, SECOND, SECOND, 0, SECOND).groupIdFor("staging."))
        .isEqualTo("rebuild-7");
  }

}
