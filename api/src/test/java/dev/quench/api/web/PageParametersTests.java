package dev.quench.api.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;

class PageParametersTests {

  @Test
  void aMissingLimitIsTheDefaultAndOneInRangeIsTakenAsIs() {
    assertThat(PageParameters.limit(null, 20, 100)).isEqualTo(20);
    assertThat(PageParameters.limit("1", 20, 100)).isEqualTo(1);
    assertThat(PageParameters.limit("100", 20, 100)).isEqualTo(100);
  }

  @Test
  void aLimitOutOfRangeOrNotANumberIsAnInvalidLimitNamingTheRange() {
    for (String bad : new String[] {"0", "101", "-3", "ten", "", "99999999999"}) {
      ApiException refused = catchThrowableOfType(ApiException.class, () -> PageParameters.limit(bad, 20, 100));

      assertThat(refused.field()).isEqualTo("limit");
      assertThat(refused.getMessage()).contains("from 1 to 100");
    }
  }

  @Test
  void aCursorGivesBackThePositionItWasMadeOf() {
    String position = "2026-12-02T10:00:00Z|0193a7f0-0000-7000-8000-000000000000";

    assertThat(PageParameters.position(PageParameters.cursorOf(position))).isEqualTo(position);
    assertThat(PageParameters.cursorOf(position)).doesNotContain("=", "+", "/");
  }

  @Test
  void aCursorThatIsNotBase64UrlIsAnInvalidCursor() {
    ApiException refused = catchThrowableOfType(ApiException.class, () -> PageParameters.position("not*base64!"));

    assertThat(refused.field()).isEqualTo("cursor");
    assertThat(refused.getMessage()).isEqualTo("cursor is not one this api gave out");
  }
}
