package dev.quench.standalone.chaos;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What one JVM of the run uses, as the machine sees it: resident memory and threads from {@code /proc/<pid>/status},
 * open files from {@code /proc/<pid>/fd}, and its heap after a full collection, from the JVM itself by {@code jcmd}
 * ({@code GC.run} then {@code GC.heap_info}, one attach). Heap after a collection, not heap used: only what survives
 * a collection can leak; what is used between two is the collector's business.
 *
 * <p>{@code jcmd} talks to the JVM over a socket in {@code /tmp}, not the network, so it reaches a worker inside a
 * network namespace, cut off or not. A stopped process ({@code SIGSTOP}) cannot answer an attach: its heap is not
 * asked, only the kernel's figures are read.
 *
 * @param heapAfterGcKb the heap's used KiB right after a full collection; null if the JVM did not answer
 * @param rssKb         resident set size, KiB ({@code VmRSS})
 * @param threads       the process's threads ({@code Threads})
 * @param openFiles     its open file descriptors (files, sockets, pipes)
 */
record ProcessUsage(Long heapAfterGcKb, long rssKb, int threads, int openFiles) {

  // "def new generation   total 19648K, used 1234K [..." and "tenured generation ...", or G1's one line
  // "garbage-first heap   total 262144K, used 12345K [...": every space of the heap, none of Metaspace's lines.
  private static final Pattern HEAP_SPACE = Pattern.compile("^\\s*(.+?)\\s+total (\\d+)K, used (\\d+)K",
      Pattern.MULTILINE);
  private static final Pattern STATUS_LINE = Pattern.compile("^(\\w+):\\s+(\\d+)", Pattern.MULTILINE);
  // jcmd is a JVM of its own, started once a process a minute on a busy machine: keep it cheap.
  private static final List<String> JCMD_JVM = List.of("-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC",
      "-J-Xmx32m");

  /**
   * The usage of process {@code pid}, or null if it is gone.
   *
   * @param jcmd    the {@code jcmd} program; null not to ask the heap
   * @param timeout how long the JVM may take to answer its attach
   */
  static ProcessUsage of(long pid, Path jcmd, Duration timeout) throws InterruptedException {
    Path proc = Path.of("/proc", Long.toString(pid));
    String status;
    int openFiles;
    try {
      status = Files.readString(proc.resolve("status"));
      try (Stream<Path> fds = Files.list(proc.resolve("fd"))) {
        openFiles = (int) fds.count();
      }
    } catch (IOException e) {
      return null;
    }
    long rss = statusValue(status, "VmRSS");
    int threads = (int) statusValue(status, "Threads");
    Long heap = jcmd == null || stopped(status) ? null : heapAfterGc(pid, jcmd, timeout);
    return new ProcessUsage(heap, rss, threads, openFiles);
  }

  /** A numeric field of {@code /proc/<pid>/status} ({@code VmRSS} in kB, {@code Threads}); -1 if it has none. */
  static long statusValue(String status, String field) {
    Matcher line = STATUS_LINE.matcher(status);
    while (line.find()) {
      if (line.group(1).equals(field)) {
        return Long.parseLong(line.group(2));
      }
    }
    return -1;
  }

  /** Whether {@code /proc/<pid>/status} says stopped ({@code State: T}). */
  static boolean stopped(String status) {
    return status.lines().anyMatch(l -> l.startsWith("State:") && l.substring(6).strip().startsWith("T"));
  }

  /** The used KiB of every heap space in {@code GC.heap_info}'s answer, added up; null if it lists none. */
  static Long heapUsedKb(String heapInfo) {
    Matcher space = HEAP_SPACE.matcher(heapInfo);
    long used = 0;
    boolean any = false;
    while (space.find()) {
      if (!space.group(1).contains("space")) {
        used += Long.parseLong(space.group(3));
        any = true;
      }
    }
    return any ? used : null;
  }

  /** The java installation's {@code jcmd}, or null if it has none (a JRE). */
  static Path jcmd() {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    return Files.isExecutable(jcmd) ? jcmd : null;
  }

  private static Long heapAfterGc(long pid, Path jcmd, Duration timeout) throws InterruptedException {
    Path commands = null;
    Path output = null;
    Process process = null;
    try {
      commands = Files.createTempFile("quench-soak-jcmd", ".txt");
      output = Files.createTempFile("quench-soak-jcmd", ".out");
      Files.writeString(commands, "GC.run\nGC.heap_info\n");
      List<String> command = new ArrayList<>(List.of(jcmd.toString()));
      command.addAll(JCMD_JVM);
      command.addAll(List.of(Long.toString(pid), "-f", commands.toString()));
      // To a file: a pipe would have to be read on another thread for the timeout to hold.
      process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) || process.exitValue() != 0) {
        return null;
      }
      return heapUsedKb(Files.readString(output, StandardCharsets.UTF_8));
    } catch (IOException e) {
      return null;
    } finally {
      if (process != null && process.isAlive()) {
        process.destroyForcibly();
      }
      deleteQuietly(commands);
      deleteQuietly(output);
    }
  }

  private static void deleteQuietly(Path file) {
    if (file == null) {
      return;
    }
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // A temporary file of a few bytes.
    }
  }
}
