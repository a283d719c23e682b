package dev.quench.callbacks.delivery;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Standard Webhooks signatures: {@code v1,<base64 HMAC-SHA256(key, "{id}.{timestamp}.{body}")>} per secret,
 * space-separated, where the key is the base64-decoded part of {@code whsec_<base64>}. A tenant with two secrets (a
 * rotation) gets both signatures, so a receiver that knows either one verifies it.
 */
final class WebhookSigner {

  static final String PREFIX = "whsec_";

  private final Map<String, List<byte[]>> keysByTenant;

  /** @throws IllegalArgumentException naming the tenant whose secret is not a {@code whsec_} one */
  WebhookSigner(Map<String, List<String>> secretsByTenant) {
    Map<String, List<byte[]>> keys = new java.util.HashMap<>();
    secretsByTenant.forEach((tenant, secrets) -> keys.put(tenant, secrets.stream().map(s -> key(tenant, s)).toList()));
    this.keysByTenant = Map.copyOf(keys);
  }

  /** Whether callbacks of {@code tenant} can be signed. */
  boolean signs(String tenant) {
    return keysByTenant.containsKey(tenant);
  }

  /** The {@code webhook-signature} header's value. */
  String signature(String tenant, String id, long timestamp, byte[] body) {
    List<String> signatures = new ArrayList<>();
    for (byte[] key : keysByTenant.getOrDefault(tenant, List.of())) {
      signatures.add("v1," + Base64.getEncoder().encodeToString(hmac(key, id, timestamp, body)));
    }
    return String.join(" ", signatures);
  }

  private static byte[] key(String tenant, String secret) {
    if (secret == null || !secret.startsWith(PREFIX)) {
      throw new IllegalArgumentException("the callback secret of tenant '" + tenant + "' must start with " + PREFIX);
    }
    byte[] key;
    try {
      key = Base64.getDecoder().decode(secret.substring(PREFIX.length()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the callback secret of tenant '" + tenant + "' is not whsec_ and base64",
          e);
    }
    if (key.length < 24) {
      throw new IllegalArgumentException("the callback secret of tenant '" + tenant + "' is shorter than 24 bytes");
    }
    return key;
  }

  private static byte[] hmac(byte[] key, String id, long timestamp, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      mac.update((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8));
      return mac.doFinal(body);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("every JVM has HmacSHA256", e);
    }
  }
}
