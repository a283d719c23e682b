package dev.quench.callbacks;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.quench.callbacks.Receiver.Answer;
import dev.quench.events.Envelope;
import dev.quench.events.TaskCommand.Outcome;
import dev.quench.events.TaskDecider;
import dev.quench.events.TaskHistory;
import dev.quench.events.TaskState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import tools.jackson.databind.json.JsonMapper;

/**
 * Signatures checked by an implementation none of us wrote: the Standard Webhooks reference verifier from npm
 * ({@code standardwebhooks}, locked in {@code src/test/node/package-lock.json}), installed by this test with
 * {@code npm ci} into {@code target/webhook-verifier} and run with the machine's node. Skipped where node or npm is
 * missing.
 */
class SignatureVerificationIntegrationTests {

  private static final Path SOURCE = Path.of("src/test/node");
  private static final Path TOOLS = Path.of("target/webhook-verifier");

  @BeforeAll
  static void installVerifier() throws Exception {
    assumeTrue(exitCode(Path.of("."), "node", "--version") == 0, "node is not installed: cannot verify signatures");
    Files.createDirectories(TOOLS);
    for (String file : List.of("package.json", "package-lock.json", "verify.js")) {
      Files.copy(SOURCE.resolve(file), TOOLS.resolve(file), StandardCopyOption.REPLACE_EXISTING);
    }
    if (!Files.exists(TOOLS.resolve("node_modules/standardwebhooks/package.json"))) {
      int npm = exitCode(TOOLS, "npm", "ci", "--no-audit", "--no-fund", "--loglevel=error");
      assumeTrue(npm != -2, "npm is not installed beside node: cannot verify signatures");
      assertThat(npm).as("npm ci in %s", TOOLS).isZero();
    }
  }

  @Test
  void theReferenceVerifierAcceptsEverySignatureAndEachRotatedSecretAlone() throws Exception {
    Deliverers deliverers = new Deliverers();
    ConfigurableApplicationContext deliverer = deliverers.start("cb-verify",
        "--quench.callbacks.secrets[1].tenant=acme", "--quench.callbacks.secrets[1].signing-secret="
            + Deliverers.NEXT_SECRET);
    try (deliverers; Receiver receiver = new Receiver(Answer.status(500), Answer.status(204))) {
      TaskHistory task = TaskHistory.task(UUID.randomUUID().toString());
      List<Envelope> log = new ArrayList<>();
      log.addAll(TaskDecider.decide(task.accept(task.submittedWithCallback(receiver.url("/hooks/signed"))), null));
      log.addAll(TaskDecider.decide(task.accept(task.cancelRequested("enough")), TaskState.fold(log)));
      deliverers.append(log);

      await().atMost(20, SECONDS).until(() -> receiver.requests().size() == 2);

      for (Receiver.Request request : receiver.requests()) {
        assertThat(request.header("webhook-signature").split(" ")).hasSize(2);
        assertThat(verify(Deliverers.SECRET, request)).startsWith("verified task.cancelled");
        assertThat(verify(Deliverers.NEXT_SECRET, request)).startsWith("verified task.cancelled");
        assertThat(verify("whsec_" + java.util.Base64.getEncoder().encodeToString(new byte[32]), request))
            .startsWith("refused");
      }
      Receiver.Request tampered = new Receiver.Request(null, null, receiver.requests().get(0).headers(),
          receiver.requests().get(0).body().replace("enough", "forged"));
      assertThat(verify(Deliverers.SECRET, tampered)).startsWith("refused");
    } finally {
      deliverer.close();
    }
  }

  private static String verify(String secret, Receiver.Request request) throws Exception {
    Map<String, String> headers = new LinkedHashMap<>();
    for (String name : List.of("webhook-id", "webhook-timestamp", "webhook-signature")) {
      headers.put(name, request.header(name));
    }
    Path headersFile = Files.createTempFile(TOOLS.toAbsolutePath(), "headers", ".json");
    Path bodyFile = Files.createTempFile(TOOLS.toAbsolutePath(), "body", ".json");
    try {
      Files.writeString(headersFile, JsonMapper.builder().build().writeValueAsString(headers));
      Files.writeString(bodyFile, request.body(), StandardCharsets.UTF_8);
      Process node = new ProcessBuilder("node", "verify.js", secret, headersFile.toString(), bodyFile.toString())
          .directory(TOOLS.toFile()).redirectErrorStream(true).start();
      String said = new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      assertThat(node.waitFor(60, TimeUnit.SECONDS)).isTrue();
      return said;
    } finally {
      Files.deleteIfExists(headersFile);
      Files.deleteIfExists(bodyFile);
    }
  }

  /** The exit code of a command, or -2 when it cannot be started. */
  private static int exitCode(Path directory, String... command) throws InterruptedException {
    try {
      Process process = new ProcessBuilder(command).directory(directory.toFile()).redirectErrorStream(true).start();
      process.getInputStream().readAllBytes();
      return process.waitFor(300, TimeUnit.SECONDS) ? process.exitValue() : -1;
    } catch (IOException e) {
      return -2;
    }
  }
}
