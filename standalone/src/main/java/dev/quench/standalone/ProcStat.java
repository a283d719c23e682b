package dev.quench.standalone;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A process's CPU time from Linux's {@code /proc/<pid>/stat}: user plus system time, in clock ticks. It covers every
 * thread the process ever had, those that have ended included (the kernel adds an exiting thread's time to its
 * process), which is why it, and not a sum over live threads, is the JVM's total. The benchmark reads it of its own
 * JVM and its broker, the scaling run of every process of the fleet and the cluster.
 */
public final class ProcStat {

  private static final long FALLBACK_TICKS = 100;
  private static final ClockTicks TICKS = clockTicks();

  /**
   * Clock ticks per second, and where that figure came from.
   *
   * @param perSecond ticks per second
   * @param source    {@code getconf CLK_TCK}, or that it was assumed
   */
  public record ClockTicks(long perSecond, String source) {
  }

  private ProcStat() {
  }

  public static ClockTicks ticks() {
    return TICKS;
  }

  /** The CPU time of {@code pid} in nanoseconds, or -1 if it cannot be read (gone, or no {@code /proc}). */
  public static long cpuNanos(String pid) {
    try {
      return ticksToNanos(userPlusSystemTicks(Files.readString(Path.of("/proc", pid, "stat"))));
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  public static long ticksToNanos(long ticks) {
    return ticks < 0 ? -1 : ticks * (1_000_000_000L / TICKS.perSecond());
  }

  /**
   * Fields 14 and 15 ({@code utime}, {@code stime}) of a stat line. The second field, the command in parentheses,
   * may itself hold spaces and parentheses: the fields are counted from the last {@code ')'}.
   */
  public static long userPlusSystemTicks(String statLine) {
    int end = statLine.lastIndexOf(')');
    if (end < 0) {
      throw new IllegalArgumentException("not a /proc stat line: " + statLine);
    }
    // After the command: field 3 (state) is index 0, so field n is index n - 3.
    String[] fields = statLine.substring(end + 1).trim().split("\\s+");
    return Long.parseLong(fields[14 - 3]) + Long.parseLong(fields[15 - 3]);
  }

  private static ClockTicks clockTicks() {
    try {
      Process getconf = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      try (InputStream out = getconf.getInputStream()) {
        String text = new String(out.readAllBytes(), StandardCharsets.US_ASCII).trim();
        if (getconf.waitFor(5, TimeUnit.SECONDS) && getconf.exitValue() == 0) {
          long ticks = Long.parseLong(text);
          if (ticks > 0 && 1_000_000_000L % ticks == 0) {
            return new ClockTicks(ticks, "getconf CLK_TCK");
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      // Assumed below, and said so in the results.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return new ClockTicks(FALLBACK_TICKS, "assumed (getconf CLK_TCK unavailable)");
  }
}
