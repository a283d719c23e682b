package dev.quench.events;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a run used, as its handler last reported it (cumulative: a report replaces the one before).
 *
 * @param counters plain counts by name, e.g. {@code input_tokens}, {@code tool_calls}, {@code pages_fetched}
 * @param lines    what was metered for billing, each priced by the worker's price list
 */
public record Usage(Map<String, Long> counters, List<UsageLine> lines) {

  public Usage {
    counters = counters == null ? Map.of() : Map.copyOf(new TreeMap<>(counters));
    lines = lines == null ? List.of() : List.copyOf(lines);
  }

  /** The credits all lines add up to. */
  public BigDecimal credits() {
    return Decimals.canonical(lines.stream().map(UsageLine::billedCredits).reduce(BigDecimal.ZERO,
        BigDecimal::add));
  }

  public long counter(String name) {
    return counters.getOrDefault(name, 0L);
  }
}
