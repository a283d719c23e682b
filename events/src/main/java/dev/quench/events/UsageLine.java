package dev.quench.events;

import java.math.BigDecimal;

/**
 * One metered quantity and its price.
 *
 * @param meter        what was measured, e.g. {@code sleep_time}
 * @param quantity     how much
 * @param unit         of the quantity, e.g. {@code second}
 * @param billedCredits what it costs by the worker's price list
 * (both in {@link Decimals#canonical} form)
 */
public record UsageLine(String meter, BigDecimal quantity, String unit, BigDecimal billedCredits) {

  public UsageLine {
    quantity = Decimals.canonical(quantity);
    billedCredits = Decimals.canonical(billedCredits);
  }
}
