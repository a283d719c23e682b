package dev.quench.events;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.UUID;

/**
 * UUIDs by RFC 9562: version 7 for new tasks (time-ordered, so ids sort by creation), version 5 for ids derived
 * from what caused them, so a retried request or a replayed decision names the same thing twice.
 */
public final class Uuids {

  /** Namespace of every name-based id quench derives. */
  public static final UUID NAMESPACE = UUID.fromString("6f1d5a4e-8b7c-4f0e-9a51-3c2b1d0e9f87");

  private static final SecureRandom RANDOM = new SecureRandom();

  private Uuids() {
  }

  /** A name-based UUID (version 5, SHA-1) of {@code name} in {@code namespace}. */
  public static UUID v5(UUID namespace, String name) {
    MessageDigest sha1;
    try {
      sha1 = MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-1", e);
    }
    ByteBuffer ns = ByteBuffer.allocate(16);
    ns.putLong(namespace.getMostSignificantBits()).putLong(namespace.getLeastSignificantBits());
    sha1.update(ns.array());
    byte[] hash = sha1.digest(name.getBytes(StandardCharsets.UTF_8));
    hash[6] = (byte) ((hash[6] & 0x0f) | 0x50);
    hash[8] = (byte) ((hash[8] & 0x3f) | 0x80);
    ByteBuffer b = ByteBuffer.wrap(hash, 0, 16);
    return new UUID(b.getLong(), b.getLong());
  }

  /** {@link #v5(UUID, String)} in quench's namespace, of the parts joined by a separator no part contains. */
  public static UUID derive(Object... parts) {
    StringBuilder name = new StringBuilder();
    for (Object part : parts) {
      name.append(String.valueOf(part).replace("\\", "\\\\").replace("|", "\\|")).append('|');
    }
    return v5(NAMESPACE, name.toString());
  }

  /** A time-ordered UUID (version 7): 48 bits of Unix milliseconds, then random bits. */
  public static UUID v7(long epochMillis) {
    long msb = (epochMillis & 0xFFFF_FFFF_FFFFL) << 16 | 0x7000L | (RANDOM.nextInt() & 0x0FFF);
    long lsb = (RANDOM.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
    return new UUID(msb, lsb);
  }
}
