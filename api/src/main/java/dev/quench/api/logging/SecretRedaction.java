package dev.quench.api.logging;

import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.springframework.boot.json.JsonWriter;
import org.springframework.boot.logging.structured.StructuredLoggingJsonMembersCustomizer;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.Environment;

/**
 * No secret in a structured log line, whoever logged it: every string a JSON line carries (message, exception,
 * stack trace, log context) has each secret's value replaced by {@value #MASK}.
 *
 * <p>A secret is the value of any property whose name says so: its last part ends with {@code password},
 * {@code passphrase}, {@code secret}, {@code token}, {@code credentials}, {@code api-key}, {@code demo-key} or
 * {@code private-key} (in any case, with or without dashes or underscores: {@code quench.api.demo-key},
 * {@code QUENCH_DEMO_API_KEY}, {@code spring.kafka.ssl.key-password}, a callback's {@code signing-secret}), or is
 * {@code sasl.jaas.config}. Values shorter than {@value #MIN_LENGTH} characters are left alone: they would mask
 * ordinary words. Code that learns a secret elsewhere registers it with {@link #register}: API keys are configured by
 * their hash only, so a key is registered when it first authenticates (only valid keys, so their number is bounded).
 *
 * <p>Spring Boot makes one per structured log format (it is named in {@code META-INF/spring.factories}), with the
 * environment the logging was set up from.
 */
public final class SecretRedaction implements StructuredLoggingJsonMembersCustomizer<Object> {

  static final String MASK = "[redacted]";
  static final int MIN_LENGTH = 6;

  private static final Pattern SECRET_SUFFIX =
      Pattern.compile("(password|passphrase|secret|token|credentials|apikey|demokey|privatekey)$");
  private static final Set<String> REGISTERED = ConcurrentHashMap.newKeySet();
  /** {@link #REGISTERED}, longest first (one secret may contain another), remade on each registration. */
  private static volatile List<String> longestFirst = List.of();

  public SecretRedaction(Environment environment) {
    if (environment instanceof ConfigurableEnvironment configurable) {
      configurable.getPropertySources().stream().filter(EnumerablePropertySource.class::isInstance)
          .flatMap(source -> List.of(((EnumerablePropertySource<?>) source).getPropertyNames()).stream())
          .filter(SecretRedaction::isSecretName)
          .forEach(name -> register(configurable.getProperty(name)));
    }
  }

  /** Masks {@code value} in every structured line from now on. */
  public static void register(String value) {
    if (value != null && value.length() >= MIN_LENGTH && !REGISTERED.contains(value)) {
      synchronized (REGISTERED) {
        if (REGISTERED.add(value)) {
          longestFirst = REGISTERED.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
        }
      }
    }
  }

  /** Whether a property of this name holds a secret. */
  static boolean isSecretName(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    if (lower.endsWith("sasl.jaas.config") || lower.endsWith("sasl_jaas_config")) {
      return true;
    }
    String last = lower.substring(lower.lastIndexOf('.') + 1).replace("-", "").replace("_", "");
    return SECRET_SUFFIX.matcher(last).find();
  }

  /** {@code text} with every registered secret masked. */
  static String redact(String text) {
    if (text == null) {
      return null;
    }
    String redacted = text;
    for (String secret : longestFirst) {
      if (redacted.contains(secret)) {
        redacted = redacted.replace(secret, MASK);
      }
    }
    return redacted;
  }

  @Override
  public void customize(JsonWriter.Members<Object> members) {
    members.applyingValueProcessor(JsonWriter.ValueProcessor.of(String.class, SecretRedaction::redact));
  }
}
