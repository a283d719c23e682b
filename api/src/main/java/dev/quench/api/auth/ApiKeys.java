package dev.quench.api.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/** The configured API keys, by the SHA-256 of the key: the keys themselves are not kept. */
public final class ApiKeys {

  private final Map<String, Caller> byHash = new HashMap<>();

  /** Adds a key given by its hash ({@code sha256:<hex>} or bare hex), for its caller. */
  public ApiKeys add(String hash, Caller caller) {
    String hex = hash.startsWith("sha256:") ? hash.substring("sha256:".length()) : hash;
    if (!hex.matches("[0-9a-fA-F]{64}")) {
      throw new IllegalArgumentException("API key hash of " + caller.keyId() + " is not a SHA-256 hex digest");
    }
    byHash.put(hex.toLowerCase(), caller);
    return this;
  }

  public Optional<Caller> find(String key) {
    return Optional.ofNullable(byHash.get(sha256(key)));
  }

  public boolean isEmpty() {
    return byHash.isEmpty();
  }

  public static String sha256(String key) {
    try {
      return HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
