package dev.quench.callbacks;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quench.callbacks.Receiver.Answer;
import dev.quench.events.CallbackDelivered;
import dev.quench.events.CallbackStatus;
import dev.quench.events.Envelope;
import dev.quench.events.EventType;
import dev.quench.events.TaskCommand.Outcome;
import dev.quench.events.TaskState;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * https callbacks to real TLS receivers on loopback, with certificates made for this run by the JDK's own
 * {@code keytool} (self-signed, each naming 127.0.0.1 or only localhost): a deliverer that trusts one through
 * {@code quench.callbacks.ssl-bundle} delivers to it, signed; a certificate it does not trust, or one that does not
 * name the address called, is a failed handshake, retried on the schedule and given up, and never delivered.
 */
class TlsCallbackIntegrationTests {

  private static final String PASSWORD = "changeit";

  @TempDir
  static Path keys;
  private static SSLContext trusted;
  private static SSLContext stranger;
  private static SSLContext misnamed;
  private static Deliverers deliverers;
  private static ConfigurableApplicationContext deliverer;

  @BeforeAll
  static void start() throws Exception {
    trusted = receiverTls("trusted", "ip:127.0.0.1,dns:localhost");
    stranger = receiverTls("stranger", "ip:127.0.0.1,dns:localhost");
    // Trusted, but for a name only: a receiver reached at 127.0.0.1 must name that address.
    misnamed = receiverTls("misnamed", "dns:localhost");
    Path trust = keys.resolve("receivers.pem");
    Files.writeString(trust, Files.readString(keys.resolve("trusted.pem"))
        + Files.readString(keys.resolve("misnamed.pem")));
    deliverers = new Deliverers();
    // The JVM's first handshakes (cold TLS code, key exchange) take far longer on a busy machine than a plain
    // answer; these tests are about trust, not timeouts, so no handshake may be taken for a receiver's silence.
    deliverer = deliverers.start("cb-tls",
        "--quench.callbacks.read-timeout=30s",
        "--quench.callbacks.connect-timeout=30s",
        "--quench.callbacks.allow-http=false",
        "--quench.callbacks.ssl-bundle=receivers",
        "--spring.ssl.bundle.pem.receivers.truststore.certificate=file:" + trust);
  }

  @AfterAll
  static void stop() {
    if (deliverer != null) {
      deliverer.close();
    }
    if (deliverers != null) {
      deliverers.close();
    }
  }

  @Test
  void anHttpsCallbackToAReceiverTheBundleTrustsIsDeliveredAndSigned() throws Exception {
    try (Receiver receiver = Receiver.https(trusted, Answer.status(204))) {
      Envelope terminal = deliverers.endedTask(receiver.url("/hooks/tls"), new Outcome.Completed(null));

      TaskState task = deliverers.settled(terminal.taskId());

      assertThat(task.callback().status()).isEqualTo(CallbackStatus.DELIVERED);
      assertThat(task.callback().attemptCount()).isEqualTo(1);
      assertThat(deliverers.history(terminal.taskId()).stream().filter(e -> e.type().ofCallback()))
          .extracting(Envelope::event).containsExactly(new CallbackDelivered(1, 204));
      Receiver.Request got = receiver.requests().get(0);
      assertThat(got.header("webhook-id")).isEqualTo("msg_" + terminal.eventId());
      assertThat(signatures(got)).contains(expectedSignature(got));
    }
  }

  @Test
  void aCertificateNobodyTrustsIsAFailedHandshakeRetriedThenGivenUpNeverDelivered() {
    try (Receiver receiver = Receiver.https(stranger, Answer.status(204))) {
      Envelope terminal = deliverers.endedTask(receiver.url("/hooks/stranger"), new Outcome.Completed(null));

      TaskState task = deliverers.settled(terminal.taskId());

      assertThat(task.callback().status()).isEqualTo(CallbackStatus.FAILED);
      assertThat(task.callback().attemptCount()).isEqualTo(4);
      assertThat(task.callback().deliveredAt()).isNull();
      assertThat(task.callback().lastError()).startsWith("TLS failed: ").contains("certification path");
      assertThat(deliverers.history(terminal.taskId()).stream().filter(e -> e.type().ofCallback()))
          .extracting(Envelope::type).containsExactly(EventType.CALLBACK_ATTEMPTED, EventType.CALLBACK_ATTEMPTED,
              EventType.CALLBACK_ATTEMPTED, EventType.CALLBACK_ABANDONED);
      // The handshake failed before a byte of the callback was sent.
      assertThat(receiver.requests()).isEmpty();
    }
  }

  @Test
  void aTrustedCertificateThatDoesNotNameTheAddressCalledIsRefusedToo() {
    try (Receiver receiver = Receiver.https(misnamed, Answer.status(204))) {
      Envelope terminal = deliverers.endedTask(receiver.url("/hooks/misnamed"), new Outcome.Completed(null));

      TaskState task = deliverers.settled(terminal.taskId());

      assertThat(task.callback().status()).isEqualTo(CallbackStatus.FAILED);
      assertThat(task.callback().lastError()).startsWith("TLS failed: ").contains("127.0.0.1");
      assertThat(receiver.requests()).isEmpty();
    }
  }

  /** A self-signed key pair for {@code name} made by keytool, its certificate exported as PEM beside it. */
  private static SSLContext receiverTls(String name, String subjectAlternativeNames) throws Exception {
    Path store = keys.resolve(name + ".p12");
    keytool("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + name,
        "-ext", "SAN=" + subjectAlternativeNames, "-validity", "2", "-storetype", "PKCS12", "-keystore",
        store.toString(), "-storepass", PASSWORD, "-keypass", PASSWORD);
    keytool("-exportcert", "-rfc", "-alias", name, "-keystore", store.toString(), "-storepass", PASSWORD, "-file",
        keys.resolve(name + ".pem").toString());
    KeyStore keyStore = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(store)) {
      keyStore.load(in, PASSWORD.toCharArray());
    }
    KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    keyManagers.init(keyStore, PASSWORD.toCharArray());
    SSLContext tls = SSLContext.getInstance("TLS");
    tls.init(keyManagers.getKeyManagers(), null, null);
    return tls;
  }

  private static void keytool(String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("keytool finished").isTrue();
    assertThat(process.exitValue()).as("keytool %s: %s", args[0], output).isZero();
  }

  private static List<String> signatures(Receiver.Request request) {
    return List.of(request.header("webhook-signature").split(" "));
  }

  /** Standard Webhooks, from the spec: v1, base64 of HMAC-SHA256 over "id.timestamp.body" with the whsec_ key. */
  private static String expectedSignature(Receiver.Request request) throws Exception {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(Base64.getDecoder().decode(Deliverers.SECRET.substring("whsec_".length())),
        "HmacSHA256"));
    byte[] signed = mac.doFinal((request.header("webhook-id") + "." + request.header("webhook-timestamp") + "."
        + request.body()).getBytes(StandardCharsets.UTF_8));
    return "v1," + Base64.getEncoder().encodeToString(signed);
  }
}
