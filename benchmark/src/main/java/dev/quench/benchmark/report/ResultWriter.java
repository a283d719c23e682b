package dev.quench.benchmark.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** Puts a run's results on the console, and into JSON and Markdown files. */
public final class ResultWriter {

  private static final String[] HEADER = {"section", "measure", "result", "notes"};
  private static final DateTimeFormatter FILE_STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT).withZone(ZoneOffset.UTC);

  private final Instant started;
  private final Duration took;
  private final Machine machine;
  private final Map<String, Object> settings;
  private final ResultTable table;

  public ResultWriter(Instant started, Duration took, Machine machine, Map<String, Object> settings,
                      ResultTable table) {
    this.started = started;
    this.took = took;
    this.machine = machine;
    this.settings = settings;
    this.table = table;
  }

  /** Writes {@code benchmark-results.{json,md}} into {@code dir}, and a dated copy into {@code copyTo} if not null. */
  public List<Path> write(Path dir, Path copyTo) {
    List<Path> written = new ArrayList<>();
    written.addAll(write(dir, "benchmark-results"));
    if (copyTo != null) {
      written.addAll(write(copyTo, "benchmark-results-" + FILE_STAMP.format(started)));
    }
    return written;
  }

  private List<Path> write(Path dir, String name) {
    try {
      Files.createDirectories(dir);
      Path json = dir.resolve(name + ".json");
      Path markdown = dir.resolve(name + ".md");
      Files.writeString(json, json());
      Files.writeString(markdown, markdown());
      return List.of(json, markdown);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the results into " + dir, e);
    }
  }

  public String json() {
    Map<String, Object> all = new LinkedHashMap<>();
    all.put("date", started.toString());
    all.put("run_seconds", took.toSeconds());
    all.put("machine", machine.toMap());
    all.put("settings", settings);
    List<Map<String, String>> rows = new ArrayList<>();
    for (ResultTable.Row row : table.rows()) {
      Map<String, String> r = new LinkedHashMap<>();
      r.put("section", row.section());
      r.put("measure", row.measure());
      r.put("result", row.result());
      r.put("notes", row.notes());
      rows.add(r);
    }
    all.put("table", rows);
    all.put("sections", table.details());
    JsonMapper mapper = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
    return mapper.writeValueAsString(all) + System.lineSeparator();
  }

  public String markdown() {
    StringBuilder md = new StringBuilder();
    md.append("# quench benchmark").append("\n\n");
    md.append("- date: ").append(started).append(" (run took ").append(minutes(took)).append(")\n");
    md.append("- machine: ").append(machine.summary()).append("\n");
    md.append("- JVM arguments: `").append(String.join(" ", machine.jvmArguments())).append("`\n");
    md.append("- settings: ");
    List<String> pairs = new ArrayList<>();
    settings.forEach((key, value) -> pairs.add("`" + key + "=" + value + "`"));
    md.append(String.join(", ", pairs)).append("\n\n");
    md.append("| ").append(String.join(" | ", HEADER)).append(" |\n");
    md.append("|---|---|---|---|\n");
    for (ResultTable.Row row : table.rows()) {
      md.append("| ").append(cell(row.section())).append(" | ").append(cell(row.measure())).append(" | ")
          .append(cell(row.result())).append(" | ").append(cell(row.notes())).append(" |\n");
    }
    return md.toString();
  }

  /** A plain-text table, sized to its widest cells. */
  public String console() {
    List<String[]> lines = new ArrayList<>();
    lines.add(HEADER);
    for (ResultTable.Row row : table.rows()) {
      lines.add(new String[] {row.section(), row.measure(), row.result(), row.notes()});
    }
    int[] widths = new int[HEADER.length];
    for (String[] line : lines) {
      for (int i = 0; i < line.length; i++) {
        widths[i] = Math.max(widths[i], line[i].length());
      }
    }
    StringBuilder text = new StringBuilder();
    text.append("quench benchmark, ").append(started).append(", run took ").append(minutes(took)).append('\n');
    text.append(machine.summary()).append('\n');
    String rule = rule(widths);
    text.append(rule);
    for (int n = 0; n < lines.size(); n++) {
      String[] line = lines.get(n);
      text.append('|');
      for (int i = 0; i < line.length; i++) {
        text.append(' ').append(pad(line[i], widths[i])).append(" |");
      }
      text.append('\n');
      if (n == 0) {
        text.append(rule);
      }
    }
    text.append(rule);
    return text.toString();
  }

  private static String rule(int[] widths) {
    StringBuilder rule = new StringBuilder("+");
    for (int width : widths) {
      rule.append("-".repeat(width + 2)).append('+');
    }
    return rule.append('\n').toString();
  }

  private static String pad(String text, int width) {
    return text + " ".repeat(width - text.length());
  }

  private static String cell(String text) {
    return text.replace("|", "\\|").replace("\n", " ");
  }

  private static String minutes(Duration duration) {
    return String.format(Locale.ROOT, "%d min %02d s", duration.toMinutes(), duration.toSecondsPart());
  }
}
