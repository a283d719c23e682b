package dev.quench.kafka;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.UUID;

/**
 * One rule for the id of a service instance ({@code quench.api.id}, {@code quench.worker.id},
 * {@code quench.projector.id}): the configured one; else the container's or machine's name ({@code HOSTNAME}, then
 * the host name); else the role and a random suffix. It names the instance's Kafka clients and the events it
 * writes.
 */
public final class InstanceIds {

  private InstanceIds() {
  }

  public static String resolve(String configured, String role) {
    if (configured != null && !configured.isBlank()) {
      return configured;
    }
    String fromEnv = System.getenv("HOSTNAME");
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv;
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      // A container without a resolvable name still needs an id that tells its clients apart.
      return role + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
  }
}
