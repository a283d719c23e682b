package dev.quench.worker.ownership;

import dev.quench.events.UsageLine;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;

/**
 * What each capability's meter costs, in credits ({@code quench.worker.pricing.<capability>}). A run reserves the
 * price of its expected usage when it starts; each usage line it reports is priced here. A capability without a
 * price is free.
 */
final class PriceList {

  /** Credits are kept to six decimal places. */
  static final int SCALE = 6;

  /**
   * The price of one capability's meter.
   *
   * @param meter          what is measured, e.g. {@code sleep_time}
   * @param unit           of the quantity, e.g. {@code second}
   * @param creditsPerUnit the price of one unit
   */
  record Price(String meter, String unit, BigDecimal creditsPerUnit) {

    BigDecimal of(BigDecimal quantity) {
      return quantity.max(BigDecimal.ZERO).multiply(creditsPerUnit).setScale(SCALE, RoundingMode.HALF_UP);
    }

    UsageLine line(BigDecimal quantity) {
      return new UsageLine(meter, quantity, unit, of(quantity));
    }
  }

  private final Map<String, Price> byCapability;

  PriceList(Map<String, Price> byCapability) {
    this.byCapability = Map.copyOf(byCapability);
  }

  /** The price of the capability's meter, or null if it is free. */
  Price price(String capability) {
    return byCapability.get(capability);
  }

  /** What a run expected to use {@code quantity} of its meter reserves. */
  BigDecimal reservation(String capability, BigDecimal quantity) {
    Price price = byCapability.get(capability);
    return price == null || quantity == null ? BigDecimal.ZERO : price.of(quantity);
  }
}
