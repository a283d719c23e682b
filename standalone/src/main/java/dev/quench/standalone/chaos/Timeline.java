package dev.quench.standalone.chaos;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * What happened when, in seconds since the run began and by the wall clock (UTC): printed as it happens and kept in
 * {@code timeline.log}, so a violation found at the end can be laid next to the kills that preceded it.
 */
final class Timeline {

  /**
   * One SIGKILL, or another fault done to one process (a SIGSTOP).
   *
   * @param process the id of the killed process, e.g. {@code worker-2}, or {@code node-3} of a cluster
   * @param role    its role: {@code api}, {@code worker} or {@code projector}, or the fault's kind
   * @param pid     the killed process
   * @param at      when, by the wall clock (the clock the events' {@code occurred_at} use)
   * @param elapsed seconds since the run began
   */
  record Kill(String process, String role, long pid, Instant at, double elapsed) {
  }

  private static final DateTimeFormatter WALL_CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS'Z'")
      .withZone(ZoneOffset.UTC);

  private final long start = System.nanoTime();
  private final Path file;
  private final PrintStream out;
  private final List<Kill> kills = new ArrayList<>();

  Timeline(Path file, PrintStream out) {
    this.file = file;
    this.out = out;
  }

  Path file() {
    return file;
  }

  double elapsedSeconds() {
    return (System.nanoTime() - start) / 1e9;
  }

  synchronized void note(String what) {
    // Both clocks: seconds to read the run by, the wall clock to lay next to the events' occurred_at.
    String line = String.format("[%7.1f s %s] %s", elapsedSeconds(), WALL_CLOCK.format(Instant.now()), what);
    out.println(line);
    try {
      Files.writeString(file, line + System.lineSeparator(), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the timeline " + file, e);
    }
  }

  synchronized void killed(ServiceProcess process, long pid) {
    kills.add(new Kill(process.id(), process.role().wire(), pid, Instant.now(), elapsedSeconds()));
    note("SIGKILL " + process.id() + " (pid " + pid + ")");
  }

  /** A fault done to a process that is not one of the fleet's, or other than a SIGKILL: {@code what} says which. */
  synchronized void fault(String process, String role, long pid, String what) {
    kills.add(new Kill(process, role, pid, Instant.now(), elapsedSeconds()));
    note(what + " (pid " + pid + ")");
  }

  synchronized List<Kill> kills() {
    return List.copyOf(kills);
  }
}
