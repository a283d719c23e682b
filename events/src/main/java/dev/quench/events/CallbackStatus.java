package dev.quench.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;

/** Where a task's callback stands: {@code pending} until the receiver took it ({@code delivered}) or we gave up. */
public enum CallbackStatus {
  PENDING, DELIVERED, FAILED;

  @JsonValue
  public String wire() {
    return name().toLowerCase();
  }

  @JsonCreator
  public static CallbackStatus fromWire(String value) {
    return Arrays.stream(values()).filter(s -> s.wire().equals(value)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown callback status: " + value));
  }
}
