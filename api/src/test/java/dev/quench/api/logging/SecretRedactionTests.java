package dev.quench.api.logging;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/** Which properties hold secrets, and what a structured line shows of them. */
class SecretRedactionTests {

  @Test
  void aPropertyIsASecretWhenItsNameSaysSo() {
    assertThat(SecretRedaction.isSecretName("quench.api.demo-key")).isTrue();
    assertThat(SecretRedaction.isSecretName("QUENCH_DEMO_API_KEY")).isTrue();
    assertThat(SecretRedaction.isSecretName("quench.demo-api-key")).isTrue();
    assertThat(SecretRedaction.isSecretName("spring.kafka.ssl.key-password")).isTrue();
    assertThat(SecretRedaction.isSecretName("spring.kafka.properties.sasl.jaas.config")).isTrue();
    assertThat(SecretRedaction.isSecretName("SPRING_KAFKA_PROPERTIES_SASL_JAAS_CONFIG")).isTrue();
    assertThat(SecretRedaction.isSecretName("quench.callbacks.signing-secret")).isTrue();
    assertThat(SecretRedaction.isSecretName("GITHUB_TOKEN")).isTrue();

    assertThat(SecretRedaction.isSecretName("quench.api.keys[0].sha256")).isFalse();
    assertThat(SecretRedaction.isSecretName("quench.api.keys[0].id")).isFalse();
    assertThat(SecretRedaction.isSecretName("spring.kafka.producer.key-serializer")).isFalse();
    assertThat(SecretRedaction.isSecretName("quench.api.idempotency-retention")).isFalse();
  }

  @Test
  void masksEveryConfiguredSecretWhereverItShowsUpAndLeavesShortValuesAlone() {
    StandardEnvironment environment = new StandardEnvironment();
    environment.getPropertySources().addFirst(new MapPropertySource("test", Map.of(
        "quench.api.demo-key", "demo-secret-value-1", "app.db.password", "pw", "app.name", "demo-secret-value-1x")));
    new SecretRedaction(environment);

    assertThat(SecretRedaction.redact("GET /v1/tasks/demo-secret-value-1 404"))
        .isEqualTo("GET /v1/tasks/[redacted] 404");
    assertThat(SecretRedaction.redact("pw is too short to be masked")).isEqualTo("pw is too short to be masked");
    assertThat(SecretRedaction.redact(null)).isNull();
  }
}
