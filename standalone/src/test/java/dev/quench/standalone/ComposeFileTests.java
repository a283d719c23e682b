package dev.quench.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The production setup's {@code docker-compose.yml} is valid, as Docker Compose itself reads it: no engine runs on
 * the build machines, but {@code docker-compose config -q} needs none. Skipped where Compose is not installed
 * ({@code .ci/run} installs Debian's {@code docker-compose}).
 */
class ComposeFileTests {

  private static final Path COMPOSE_FILE = Path.of("..", "docker-compose.yml");

  @Test
  void theComposeFileIsValid() throws Exception {
    Optional<List<String>> compose = compose();
    assumeTrue(compose.isPresent(), "neither docker-compose nor the docker compose plugin is installed");

    Result result = run(compose.get(), "pick-a-secret");

    assertThat(result.exitCode()).as("docker-compose config -q said:%n%s", result.output()).isZero();
  }

  @Test
  void theComposeFileRefusesToStartWithoutAnApiKey() throws Exception {
    Optional<List<String>> compose = compose();
    assumeTrue(compose.isPresent(), "neither docker-compose nor the docker compose plugin is installed");

    Result result = run(compose.get(), null);

    assertThat(result.exitCode()).isNotZero();
    assertThat(result.output()).contains("QUENCH_DEMO_API_KEY");
  }

  private record Result(int exitCode, String output) {
  }

  private static Result run(List<String> compose, String apiKey) throws IOException, InterruptedException {
    List<String> command = Stream.concat(compose.stream(),
        Stream.of("-f", COMPOSE_FILE.toString(), "config", "-q")).toList();
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().remove("QUENCH_DEMO_API_KEY");
    if (apiKey != null) {
      builder.environment().put("QUENCH_DEMO_API_KEY", apiKey);
    }
    Process process = builder.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Result(process.exitValue(), output);
  }

  /** {@code docker-compose} (Compose v1, Debian's package), else {@code docker compose} (the v2 plugin). */
  private static Optional<List<String>> compose() throws InterruptedException {
    for (List<String> candidate : List.of(List.of("docker-compose"), List.of("docker", "compose"))) {
      try {
        Process probe = new ProcessBuilder(Stream.concat(candidate.stream(), Stream.of("version")).toList())
            .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (probe.waitFor(30, TimeUnit.SECONDS) && probe.exitValue() == 0 && Files.exists(COMPOSE_FILE)) {
          return Optional.of(candidate);
        }
      } catch (IOException e) {
        // not installed
      }
    }
    return Optional.empty();
  }
}
