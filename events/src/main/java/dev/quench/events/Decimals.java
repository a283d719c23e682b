package dev.quench.events;

import java.math.BigDecimal;

/**
 * Decimal amounts (credits, metered quantities) in one form: without trailing zeros. A {@code BigDecimal} record
 * component compares by scale, so 0.050 and 0.05 would make two events, or a view and a fresh fold of its log,
 * unequal though they say the same; and how a JSON number reads back ({@code 0.050} exactly, or through a tree of
 * doubles as {@code 0.05}) must not decide whether a view is right. Events and states keep amounts in this form.
 */
public final class Decimals {

  private Decimals() {
  }

  /** {@code value} without trailing zeros (zero as {@link BigDecimal#ZERO}); null stays null. */
  public static BigDecimal canonical(BigDecimal value) {
    if (value == null) {
      return null;
    }
    return value.signum() == 0 ? BigDecimal.ZERO : value.stripTrailingZeros();
  }
}
