package dev.quench.standalone.chaos;

import dev.quench.api.ApiApplication;
import dev.quench.projector.ProjectorApplication;
import dev.quench.standalone.JavaCommand;
import dev.quench.worker.WorkerApplication;
import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * One service (api, worker or projector) as an OS process of its own, started again and again under the same id.
 * Every life appends its output to the same log file, after a line that says which life it is.
 */
final class ServiceProcess {

  /** What a process is; kills are counted per role. */
  enum Role {
    API(ApiApplication.class),
    WORKER(WorkerApplication.class),
    PROJECTOR(ProjectorApplication.class);

    private final Class<?> application;

    Role(Class<?> application) {
      this.application = application;
    }

    String wire() {
      return name().toLowerCase();
    }
  }

  // Six JVMs share two cores with other work: small heaps, and no optimising compiler, whose warm-up would cost
  // more CPU than these short lives ever win back.
  private static final List<String> JVM_ARGS = List.of("-Xms64m", "-Xmx256m", "-XX:TieredStopAtLevel=1",
      "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError", "-Djava.awt.headless=true");
  /**
   * A system property of the run's JVM that, when set, replaces those flags for every service it starts (words
   * separated by spaces): the scaling run measures services as deployed, with the optimising compiler.
   */
  static final String JVM_ARGS_PROPERTY = "quench.chaos.service-jvm-args";
  // Spring Boot's own line once the context is up, whatever the application's name.
  private static final Pattern STARTED = Pattern.compile("Started \\S+ in [0-9.]+ seconds");
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
  private static final int TAIL_LINES = 30;

  private final String id;
  private final Role role;
  private final List<String> arguments;
  private final Path logFile;
  private final BooleanSupplier readyProbe;
  private final UnaryOperator<List<String>> launch;
  private Process process;
  private long lifeStartsAt;
  private int lives;
  private boolean killed;
  private boolean readyLife;

  /**
   * @param arguments  the application's command-line arguments
   * @param readyProbe when the process is ready; null to wait for Spring Boot's "Started" line in its log
   */
  ServiceProcess(String id, Role role, List<String> arguments, Path logFile, BooleanSupplier readyProbe) {
    this(id, role, arguments, logFile, readyProbe, command -> command);
  }

  /** @param launch the java command line, wrapped as it is to run (inside a network namespace, say) */
  ServiceProcess(String id, Role role, List<String> arguments, Path logFile, BooleanSupplier readyProbe,
                 UnaryOperator<List<String>> launch) {
    this.launch = launch;
    this.id = id;
    this.role = role;
    this.arguments = List.copyOf(arguments);
    this.logFile = logFile;
    this.readyProbe = readyProbe;
  }

  String id() {
    return id;
  }

  Role role() {
    return role;
  }

  Path logFile() {
    return logFile;
  }

  /** Starts a new life of this process; the previous one must be gone. */
  synchronized void start() {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException(id + " is still running (pid " + process.pid() + ")");
    }
    lives++;
    List<String> args = new ArrayList<>(List.of(Long.toString(ProcessHandle.current().pid()),
        role.application.getName()));
    args.addAll(arguments);
    List<String> command = launch.apply(JavaCommand.of(jvmArgs(), ServiceMain.class.getName(), args));
    try {
      Files.createDirectories(logFile.getParent());
      Files.writeString(logFile, System.lineSeparator() + "==== chaos: " + id + ", life " + lives + ", starting at "
          + Instant.now() + System.lineSeparator(), StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
      lifeStartsAt = Files.size(logFile);
      process = new ProcessBuilder(command)
          .redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
          .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
          .start();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + id, e);
    }
    killed = false;
    readyLife = false;
  }

  private static List<String> jvmArgs() {
    String set = System.getProperty(JVM_ARGS_PROPERTY);
    return set == null || set.isBlank() ? JVM_ARGS : List.of(set.strip().split("\\s+"));
  }

  /** Waits until this life is ready to serve; fails if it exits first or takes longer than {@code timeout}. */
  void awaitReady(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!ready()) {
      Process current = current();
      if (!current.isAlive()) {
        throw new IllegalStateException(id + " (pid " + current.pid() + ") exited with code " + current.exitValue()
            + " before it was ready" + tail());
      }
      if (System.nanoTime() - deadline > 0) {
        throw new IllegalStateException(id + " (pid " + current.pid() + ") was not ready within "
            + timeout.toSeconds() + " s" + tail());
      }
      TimeUnit.MILLISECONDS.sleep(200);
    }
    synchronized (this) {
      readyLife = true;
    }
  }

  /**
   * Whether this life has been seen ready by {@link #awaitReady} and is still alive: a JVM still starting (its
   * classes half loaded, its threads not yet all there) says nothing about how the service runs.
   */
  synchronized boolean readySeen() {
    return readyLife && isAlive();
  }

  /** SIGKILL (on Linux, what {@link Process#destroyForcibly} sends), and waits until the process is gone. */
  synchronized long kill() throws InterruptedException {
    killed = true;
    process.destroyForcibly();
    if (!process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException(id + " (pid " + process.pid() + ") survived SIGKILL for "
          + STOP_TIMEOUT.toSeconds() + " s");
    }
    return process.pid();
  }

  /**
   * SIGTERM (what {@link Process#destroy} sends), as an orchestrator scaling in would: the service shuts down as it
   * chooses; waits until it is gone and returns its pid. Like a kill, the end is the run's doing, not the process's.
   */
  synchronized long stop(Duration timeout) throws InterruptedException {
    killed = true;
    process.destroy();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new IllegalStateException(id + " (pid " + process.pid() + ") did not stop within "
          + timeout.toSeconds() + " s of SIGTERM" + tail());
    }
    return process.pid();
  }

  /**
   * SIGSTOP: every thread stands still, as in a JVM paused for minutes or a machine cut off, and the process still
   * believes whatever it believed; {@link #thaw()} lets it go on from there. A frozen process is alive.
   */
  synchronized long freeze() throws InterruptedException {
    signal("STOP");
    return process.pid();
  }

  /** SIGCONT of a {@link #freeze() frozen} process. */
  synchronized void thaw() throws InterruptedException {
    signal("CONT");
  }

  private void signal(String signal) throws InterruptedException {
    try {
      Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).inheritIO().start();
      if (kill.waitFor() != 0) {
        throw new IllegalStateException("kill -" + signal + " " + process.pid() + " (" + id + ") failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot send SIG" + signal + " to " + id, e);
    }
  }

  synchronized boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** Whether this life ended without being killed by the run: a crash, or an exit of its own. */
  synchronized boolean exitedByItself() {
    return process != null && !process.isAlive() && !killed;
  }

  synchronized long pid() {
    return process == null ? -1 : process.pid();
  }

  synchronized int exitValue() {
    return process.exitValue();
  }

  private synchronized Process current() {
    return process;
  }

  private boolean ready() {
    if (!isAlive()) {
      return false;
    }
    if (readyProbe != null) {
      return readyProbe.getAsBoolean();
    }
    return STARTED.matcher(readLife()).find();
  }

  /** This life's output so far. */
  private String readLife() {
    long from;
    synchronized (this) {
      from = lifeStartsAt;
    }
    try (RandomAccessFile in = new RandomAccessFile(logFile.toFile(), "r")) {
      long length = in.length();
      byte[] bytes = new byte[(int) Math.min(Math.max(0, length - from), 4 * 1024 * 1024)];
      in.seek(from);
      in.readFully(bytes);
      return new String(bytes, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  /** The last lines of this life's output, for an error message. */
  String tail() {
    String[] lines = readLife().split("\\R");
    int from = Math.max(0, lines.length - TAIL_LINES);
    return "\n--- last lines of " + logFile + " ---\n"
        + String.join("\n", List.of(lines).subList(from, lines.length));
  }
}
