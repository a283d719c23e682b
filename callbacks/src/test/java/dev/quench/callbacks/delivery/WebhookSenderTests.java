package dev.quench.callbacks.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quench.callbacks.Receiver;
import dev.quench.callbacks.Receiver.Answer;
import dev.quench.events.CallbackSchedule.Result;
import dev.quench.kafka.callbacks.CallbackAddresses;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import javax.net.ssl.SSLSocketFactory;
import org.junit.jupiter.api.Test;

/** One send to a real receiver on loopback, and what it came to. */
class WebhookSenderTests {

  private static final byte[] BODY = "{\"type\":\"task.completed\"}".getBytes(StandardCharsets.UTF_8);
  private final CallbackAddresses loopbackAllowed = new CallbackAddresses(true, List.of("127.0.0.0/8"));

  private WebhookSender sender(CallbackAddresses addresses) {
    return new WebhookSender(addresses, Duration.ofSeconds(1), Duration.ofMillis(300), 4096,
        (SSLSocketFactory) SSLSocketFactory.getDefault());
  }

  @Test
  void theReceiverGetsThePostWithItsHeadersAndBody() {
    try (Receiver receiver = new Receiver(Answer.status(204))) {
      Result result = sender(loopbackAllowed).send(receiver.url("/hook?x=1"), Map.of("webhook-id", "msg_1"), BODY);

      assertThat(result.statusCode()).isEqualTo(204);
      Receiver.Request got = receiver.requests().get(0);
      assertThat(got.path()).isEqualTo("/hook?x=1");
      assertThat(got.header("webhook-id")).isEqualTo("msg_1");
      assertThat(got.header("content-type")).isEqualTo("application/json");
      assertThat(got.body()).isEqualTo(new String(BODY, StandardCharsets.UTF_8));
    }
  }

  @Test
  void aReceiverThatDoesNotAnswerInTimeIsATimeoutWorthRetrying() {
    CountDownLatch never = new CountDownLatch(1);
    try (Receiver receiver = new Receiver(Answer.heldUntil(never))) {
      Result result = sender(loopbackAllowed).send(receiver.url("/slow"), Map.of(), BODY);

      assertThat(result.statusCode()).isNull();
      assertThat(result.retryable()).isTrue();
      assertThat(result.error()).contains("no answer within 300 ms");
    }
  }

  @Test
  void aRefusedConnectionIsWorthRetrying() throws IOException {
    int port;
    try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = free.getLocalPort();
    }

    Result result = sender(loopbackAllowed).send("http://127.0.0.1:" + port + "/", Map.of(), BODY);

    assertThat(result.retryable()).isTrue();
    assertThat(result.error()).isEqualTo("connection refused");
  }

  @Test
  void retryAfterIsReadInSeconds() {
    try (Receiver receiver = new Receiver(Answer.status(429, Map.of("Retry-After", "7")))) {
      Result result = sender(loopbackAllowed).send(receiver.url("/busy"), Map.of(), BODY);

      assertThat(result.statusCode()).isEqualTo(429);
      assertThat(result.retryAfter()).isEqualTo(Duration.ofSeconds(7));
    }
  }

  @Test
  void aRedirectIsNeverFollowedWhereverItPoints() {
    try (Receiver target = new Receiver(Answer.status(200));
         Receiver redirecting = new Receiver(Answer.status(302, Map.of("Location", target.url("/elsewhere"))))) {
      Result toLoopback = sender(loopbackAllowed).send(redirecting.url("/hook"), Map.of(), BODY);
      redirecting.script(Answer.status(307, Map.of("Location", "http://10.0.0.1/internal")));
      Result toPrivate = sender(loopbackAllowed).send(redirecting.url("/hook"), Map.of(), BODY);

      assertThat(toLoopback.statusCode()).isEqualTo(302);
      assertThat(toPrivate.statusCode()).isEqualTo(307);
      assertThat(target.requests()).isEmpty();
    }
  }

  @Test
  void aNameResolvingToLoopbackIsRefusedAtSendWithoutConnecting() {
    try (Receiver receiver = new Receiver(Answer.status(200))) {
      CallbackAddresses strict = new CallbackAddresses(true, List.of());

      Result byName = sender(strict).send("http://localhost:" + receiver.port() + "/hook", Map.of(), BODY);
      Result byAddress = sender(strict).send(receiver.url("/hook"), Map.of(), BODY);

      assertThat(byName.retryable()).isFalse();
      assertThat(byName.error()).contains("loopback");
      assertThat(byAddress.error()).contains("loopback");
      assertThat(receiver.requests()).isEmpty();
    }
  }

  @Test
  void everyRefusedAddressClassIsRefusedAtSend() {
    CallbackAddresses strict = new CallbackAddresses(false, List.of());
    for (String url : List.of("https://10.0.0.1/", "https://172.16.0.1/", "https://192.168.1.1/",
        "https://169.254.169.254/latest/meta-data/", "https://[fd00:ec2::254]/", "https://[::1]/", "https://0.0.0.0/",
        "https://224.0.0.251/", "https://100.64.0.1/", "https://[fe80::1]/", "https://[fc00::1]/")) {
      Result result = sender(strict).send(url, Map.of(), BODY);

      assertThat(result.retryable()).as(url).isFalse();
      assertThat(result.error()).as(url).contains("callbacks go to public addresses only");
    }
  }

  @Test
  void onlyASmallBoundOfTheAnswerIsRead() throws Exception {
    try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread answering = new Thread(() -> {
        try (Socket s = server.accept(); OutputStream out = s.getOutputStream()) {
          s.getInputStream().read(new byte[8192]);
          out.write(("HTTP/1.1 500 Oops\r\nContent-Length: 10000000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
          byte[] chunk = "x".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII);
          for (int i = 0; i < 150; i++) {
            out.write(chunk);
          }
        } catch (IOException e) {
          // the sender hung up after its bound: expected
        }
      });
      answering.start();

      Result result = sender(loopbackAllowed).send("http://127.0.0.1:" + server.getLocalPort() + "/", Map.of(), BODY);

      assertThat(result.statusCode()).isEqualTo(500);
      assertThat(result.error()).hasSizeLessThanOrEqualTo(201).startsWith("xxx");
      answering.join(10_000);
    }
  }
}
