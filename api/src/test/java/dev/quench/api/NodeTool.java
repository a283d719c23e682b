package dev.quench.api;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The machine's node, running the npm tools pinned in {@code src/test/node} (package.json and package-lock.json):
 * installed with {@code npm ci} into {@code target/node-tools} by the first test that needs them, so the source tree
 * stays clean and every run uses exactly the locked versions. Without node the tests that need it are skipped, except
 * on CI ({@code CI} set), where that is a failure.
 */
final class NodeTool {

  private static final Path SOURCE = Path.of("src/test/node");
  private static final Path INSTALLED = Path.of("target/node-tools");
  private static boolean installed;

  /** What a command printed and how it ended. */
  record Run(int exitCode, String output) {
  }

  private NodeTool() {
  }

  /** The directory the tools are installed in, installing them first if this JVM has not yet. */
  static synchronized Path tools() {
    requireNode();
    if (!installed) {
      try {
        Files.createDirectories(INSTALLED);
        try (Stream<Path> files = Files.list(SOURCE)) {
          for (Path file : files.filter(Files::isRegularFile).toList()) {
            Files.copy(file, INSTALLED.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      Run npm = run(INSTALLED, 300, "npm", "ci", "--no-audit", "--no-fund", "--prefer-offline", "--loglevel=error");
      if (npm.exitCode() != 0) {
        throw new IllegalStateException("npm ci in " + INSTALLED + " failed:\n" + npm.output());
      }
      installed = true;
    }
    return INSTALLED;
  }

  /** Runs {@code node script args...} in the tools' directory. */
  static Run node(String script, String... args) {
    List<String> command = new ArrayList<>(List.of("node", script));
    command.addAll(List.of(args));
    return run(tools(), 300, command.toArray(String[]::new));
  }

  private static void requireNode() {
    boolean present = run(Path.of("."), 30, "node", "--version").exitCode() == 0;
    if (!present && System.getenv("CI") != null) {
      throw new IllegalStateException("node is needed for the OpenAPI validators and is not on the PATH");
    }
    assumeTrue(present, "node is not on the PATH: the OpenAPI validators cannot run here");
  }

  private static Run run(Path directory, int timeoutSeconds, String... command) {
    try {
      Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true)
          .start();
      process.getOutputStream().close();
      byte[] out = process.getInputStream().readAllBytes();
      if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        return new Run(-1, "timed out: " + String.join(" ", command));
      }
      return new Run(process.exitValue(), new String(out, StandardCharsets.UTF_8));
    } catch (IOException e) {
      return new Run(-1, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Run(-1, e.toString());
    }
  }
}
