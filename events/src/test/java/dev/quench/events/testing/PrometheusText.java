package dev.quench.events.testing;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A scrape in the Prometheus text exposition format (0.0.4), parsed and checked the way Prometheus reads it: {@code #
 * HELP} and {@code # TYPE} lines, samples with escaped label values, {@code NaN} and {@code ±Inf}, optional
 * timestamps. A malformed line, a second {@code TYPE} for a family, a series given twice, a sample of a typed family
 * after another family began, or a histogram whose buckets are not cumulative up to {@code +Inf == _count} fails the
 * parse, naming the line.
 */
public final class PrometheusText {

  private static final Pattern METRIC_NAME = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*");
  private static final Pattern LABEL_NAME = Pattern.compile("[a-zA-Z_][a-zA-Z0-9_]*");
  private static final Set<String> TYPES = Set.of("counter", "gauge", "histogram", "summary", "untyped");

  /** One line of a series: its name, its labels (sorted by name) and its value. */
  public record Sample(String name, Map<String, String> labels, double value, Long timestampMillis) {
  }

  /** A metric family: its {@code TYPE} ({@code untyped} when none was given), its {@code HELP}, its samples. */
  public record Family(String name, String type, String help, List<Sample> samples) {
  }

  /**
   * One histogram series (the buckets, sum and count sharing one set of labels besides {@code le}).
   *
   * @param buckets cumulative counts by upper bound, {@code +Inf} last
   */
  public record Histogram(Map<Double, Double> buckets, double sum, double count) {
  }

  private final Map<String, Family> families;

  private PrometheusText(Map<String, Family> families) {
    this.families = families;
  }

  /** Parses a whole scrape; throws {@link IllegalArgumentException} naming the first line that is wrong. */
  public static PrometheusText parse(String text) {
    return new Parser(text).parse();
  }

  public Map<String, Family> families() {
    return families;
  }

  /** The family of this name, or null. */
  public Family family(String name) {
    return families.get(name);
  }

  /** Every sample of this exact sample name whose labels include {@code matching}. */
  public List<Sample> samples(String sampleName, Map<String, String> matching) {
    List<Sample> found = new ArrayList<>();
    for (Family family : families.values()) {
      for (Sample sample : family.samples()) {
        if (sample.name().equals(sampleName) && sample.labels().entrySet().containsAll(matching.entrySet())) {
          found.add(sample);
        }
      }
    }
    return found;
  }

  /** The sum of the values of {@link #samples}: 0 when there are none. */
  public double sum(String sampleName, Map<String, String> matching) {
    return samples(sampleName, matching).stream().mapToDouble(Sample::value).sum();
  }

  /** The one series of histogram {@code family} whose labels are exactly {@code labels} (besides {@code le}). */
  public Histogram histogram(String family, Map<String, String> labels) {
    Family f = families.get(family);
    if (f == null || !f.type().equals("histogram")) {
      throw new IllegalArgumentException("no histogram " + family + " in the scrape");
    }
    Map<Double, Double> buckets = new TreeMap<>();
    Double sum = null;
    Double count = null;
    for (Sample s : f.samples()) {
      Map<String, String> others = new TreeMap<>(s.labels());
      String le = others.remove("le");
      if (!others.equals(new TreeMap<>(labels))) {
        continue;
      }
      if (s.name().equals(family + "_bucket")) {
        buckets.put(parseValue(le), s.value());
      } else if (s.name().equals(family + "_sum")) {
        sum = s.value();
      } else if (s.name().equals(family + "_count")) {
        count = s.value();
      }
    }
    if (count == null || sum == null || buckets.isEmpty()) {
      throw new IllegalArgumentException("no series " + labels + " of histogram " + family);
    }
    return new Histogram(buckets, sum, count);
  }

  private static double parseValue(String text) {
    return switch (text) {
      case "+Inf", "Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> Double.parseDouble(text);
    };
  }

  /** One pass over the lines, in the order Prometheus requires. */
  private static final class Parser {

    private final String[] lines;
    private final Map<String, String> types = new LinkedHashMap<>();
    private final Map<String, String> helps = new LinkedHashMap<>();
    private final Map<String, List<Sample>> samples = new LinkedHashMap<>();
    private final Set<String> series = new HashSet<>();
    private final Set<String> finished = new HashSet<>();
    private String current;
    private int lineNumber;
    private String line;
    private int at;

    Parser(String text) {
      this.lines = text.split("\n", -1);
    }

    PrometheusText parse() {
      for (lineNumber = 1; lineNumber <= lines.length; lineNumber++) {
        line = lines[lineNumber - 1];
        at = 0;
        if (line.isBlank()) {
          continue;
        }
        if (line.startsWith("#")) {
          comment();
        } else {
          sample();
        }
      }
      Map<String, Family> families = new LinkedHashMap<>();
      for (Map.Entry<String, List<Sample>> e : samples.entrySet()) {
        String type = types.getOrDefault(e.getKey(), "untyped");
        families.put(e.getKey(), new Family(e.getKey(), type, helps.get(e.getKey()), List.copyOf(e.getValue())));
      }
      types.forEach((name, type) -> families.putIfAbsent(name, new Family(name, type, helps.get(name), List.of())));
      families.values().stream().filter(f -> f.type().equals("histogram")).forEach(this::checkHistogram);
      return new PrometheusText(families);
    }

    private void comment() {
      String[] parts = line.substring(1).trim().split("[ \t]+", 3);
      if (parts.length < 2 || !(parts[0].equals("HELP") || parts[0].equals("TYPE"))) {
        return;
      }
      String name = parts[1];
      require(METRIC_NAME.matcher(name).matches(), "bad metric name " + name);
      if (parts[0].equals("TYPE")) {
        require(parts.length == 3 && TYPES.contains(parts[2].trim()), "bad TYPE line");
        require(!types.containsKey(name), "a second TYPE for " + name);
        require(!samples.containsKey(name), "TYPE for " + name + " after its samples");
        types.put(name, parts[2].trim());
        begin(name);
      } else {
        require(!helps.containsKey(name), "a second HELP for " + name);
        helps.put(name, parts.length == 3 ? unescapeHelp(parts[2]) : "");
        begin(name);
      }
    }

    private void begin(String family) {
      if (!family.equals(current)) {
        require(!finished.contains(family), "family " + family + " continues after another began");
        if (current != null) {
          finished.add(current);
        }
        current = family;
      }
    }

    private void sample() {
      String name = token(METRIC_NAME, "metric name");
      Map<String, String> labels = new TreeMap<>();
      skipBlanks();
      if (at < line.length() && line.charAt(at) == '{') {
        at++;
        labels(labels);
      }
      skipBlanks();
      String value = word();
      require(!value.isEmpty(), "a sample without a value");
      double parsed;
      try {
        parsed = parseValue(value);
      } catch (NumberFormatException e) {
        throw error("bad value " + value);
      }
      skipBlanks();
      Long timestamp = null;
      String ts = word();
      if (!ts.isEmpty()) {
        try {
          timestamp = Long.parseLong(ts);
        } catch (NumberFormatException e) {
          throw error("bad timestamp " + ts);
        }
      }
      skipBlanks();
      require(at == line.length(), "unexpected text after the sample");
      String family = familyOf(name);
      begin(family);
      require(series.add(name + labels), "series " + name + labels + " given twice");
      samples.computeIfAbsent(family, f -> new ArrayList<>()).add(new Sample(name, Map.copyOf(labels), parsed,
          timestamp));
    }

    /** The family a sample belongs to: its own name, or a typed family it is a suffixed sample of. */
    private String familyOf(String name) {
      if (types.containsKey(name)) {
        return name;
      }
      for (String suffix : List.of("_total", "_created", "_bucket", "_count", "_sum", "_gcount", "_gsum")) {
        if (name.endsWith(suffix)) {
          String base = name.substring(0, name.length() - suffix.length());
          String type = types.get(base);
          if (type != null && (type.equals("histogram") || type.equals("summary") || type.equals("counter"))) {
            return base;
          }
        }
      }
      return name;
    }

    private void labels(Map<String, String> labels) {
      while (true) {
        skipBlanks();
        require(at < line.length(), "unterminated label set");
        if (line.charAt(at) == '}') {
          at++;
          return;
        }
        String label = token(LABEL_NAME, "label name");
        skipBlanks();
        require(at < line.length() && line.charAt(at) == '=', "expected = after label " + label);
        at++;
        skipBlanks();
        require(at < line.length() && line.charAt(at) == '"', "expected a quoted value for label " + label);
        at++;
        StringBuilder value = new StringBuilder();
        while (true) {
          require(at < line.length(), "unterminated value of label " + label);
          char c = line.charAt(at++);
          if (c == '"') {
            break;
          }
          if (c == '\\') {
            require(at < line.length(), "unterminated escape in label " + label);
            char e = line.charAt(at++);
            switch (e) {
              case '\\' -> value.append('\\');
              case '"' -> value.append('"');
              case 'n' -> value.append('\n');
              default -> throw error("bad escape \\" + e + " in label " + label);
            }
          } else {
            value.append(c);
          }
        }
        require(labels.put(label, value.toString()) == null, "label " + label + " given twice");
        skipBlanks();
        require(at < line.length(), "unterminated label set");
        if (line.charAt(at) == ',') {
          at++;
        } else {
          require(line.charAt(at) == '}', "expected , or } after label " + label);
        }
      }
    }

    private void checkHistogram(Family family) {
      Map<String, TreeMap<Double, Double>> buckets = new LinkedHashMap<>();
      Map<String, Double> counts = new LinkedHashMap<>();
      for (Sample s : family.samples()) {
        Map<String, String> others = new TreeMap<>(s.labels());
        String le = others.remove("le");
        String key = others.toString();
        if (s.name().equals(family.name() + "_bucket")) {
          if (le == null) {
            throw new IllegalArgumentException("bucket of " + family.name() + others + " without le");
          }
          buckets.computeIfAbsent(key, k -> new TreeMap<>()).put(parseValue(le), s.value());
        } else if (s.name().equals(family.name() + "_count")) {
          counts.put(key, s.value());
        }
      }
      buckets.forEach((key, byBound) -> {
        double previous = 0;
        for (double count : byBound.values()) {
          if (count < previous) {
            throw new IllegalArgumentException("buckets of " + family.name() + key + " are not cumulative");
          }
          previous = count;
        }
        if (byBound.lastKey() != Double.POSITIVE_INFINITY) {
          throw new IllegalArgumentException(family.name() + key + " has no +Inf bucket");
        }
        Double count = counts.get(key);
        // No _count: a gauge histogram (in-flight durations), which this format writes as buckets plus two gauges.
        if (count != null && count.doubleValue() != byBound.lastEntry().getValue()) {
          throw new IllegalArgumentException(family.name() + key + ": _count " + count + " is not the +Inf bucket "
              + byBound.lastEntry().getValue());
        }
      });
    }

    private String token(Pattern pattern, String what) {
      int start = at;
      while (at < line.length() && !Character.isWhitespace(line.charAt(at)) && "{}=,\"".indexOf(line.charAt(at)) < 0) {
        at++;
      }
      String token = line.substring(start, at);
      require(pattern.matcher(token).matches(), "bad " + what + " '" + token + "'");
      return token;
    }

    private String word() {
      int start = at;
      while (at < line.length() && line.charAt(at) != ' ' && line.charAt(at) != '\t') {
        at++;
      }
      return line.substring(start, at);
    }

    private void skipBlanks() {
      while (at < line.length() && (line.charAt(at) == ' ' || line.charAt(at) == '\t')) {
        at++;
      }
    }

    private static String unescapeHelp(String text) {
      StringBuilder out = new StringBuilder();
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        if (c == '\\' && i + 1 < text.length() && (text.charAt(i + 1) == '\\' || text.charAt(i + 1) == 'n')) {
          out.append(text.charAt(++i) == 'n' ? '\n' : '\\');
        } else {
          out.append(c);
        }
      }
      return out.toString();
    }

    private void require(boolean ok, String problem) {
      if (!ok) {
        throw error(problem);
      }
    }

    private IllegalArgumentException error(String problem) {
      return new IllegalArgumentException("line " + lineNumber + ": " + problem + ": " + line);
    }
  }
}
