package dev.quench.callbacks;

import dev.quench.events.CallbackSchedule;
import dev.quench.kafka.InstanceIds;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * {@code quench.callbacks.*} as the deliverer reads it. ({@code allow-http} and {@code allowed-networks} are the
 * address rules the api shares: see {@code dev.quench.kafka.callbacks}.)
 *
 * @param id                this instance's id: its client ids, its transactional id and the producer of its events
 * @param groupId           the consumer group of all deliverers of one deployment; {@code <prefix>quench-callbacks}
 *                          unless set
 * @param schedule          the delay before each attempt, the first counted from the terminal event; the delivery is
 *                          given up after the last. Standard Webhooks' example unless set
 * @param jitter            how far each retry's delay may stray, as a fraction of it
 * @param connectTimeout    the longest a connection to a receiver may take
 * @param readTimeout       the longest a receiver may take to answer, in all
 * @param maxResponse       how much of a receiver's answer is read: its status line and headers must fit
 * @param senders           how many callbacks may be in flight at once
 * @param pollTimeout       the longest one poll of the log waits when nothing is due sooner
 * @param recordInterval    the least time between two transactions recording attempts' results: results that come
 *                          back meanwhile wait and are recorded together. 0: after every turn
 * @param restartBackoff    how long to wait before restarting delivery after a failure
 * @param usdPerCredit      the USD value of a credit in the task a callback carries: keep it equal to the api's
 *                          {@code quench.api.usd-per-credit}
 * @param secrets           the signing secrets, per tenant; a tenant with several has each signature sent (a rotation)
 * @param demoSecret        the demo tenant's secret ({@code QUENCH_CALLBACK_SECRET} in the standalone)
 * @param sslBundle         the Spring Boot SSL bundle ({@code spring.ssl.bundle.*}) whose trust material https
 *                          callbacks are checked against, instead of the JVM's default trust store; its key, if it has
 *                          one, is the client certificate offered to receivers that ask for one. None: the JVM's
 *                          defaults. A name no bundle has stops the start
 */
@ConfigurationProperties("quench.callbacks")
public record CallbacksProperties(
    String id,
    String groupId,
    List<Duration> schedule,
    @DefaultValue("0.1") double jitter,
    @DefaultValue("5s") Duration connectTimeout,
    @DefaultValue("15s") Duration readTimeout,
    @DefaultValue("8KB") DataSize maxResponse,
    @DefaultValue("16") int senders,
    @DefaultValue("200ms") Duration pollTimeout,
    @DefaultValue("100ms") Duration recordInterval,
    @DefaultValue("1s") Duration restartBackoff,
    @DefaultValue("0.01") BigDecimal usdPerCredit,
    List<Secret> secrets,
    String demoSecret,
    String sslBundle) {

  /**
   * A tenant's signing secret as configured.
   *
   * @param tenant        whose callbacks it signs
   * @param signingSecret {@code whsec_} and the base64 of the key, as Standard Webhooks writes it
   */
  public record Secret(String tenant, String signingSecret) {

    /** Never the secret: a record's own would print it wherever one is logged or shown in an error. */
    @Override
    public String toString() {
      return "Secret[tenant=" + tenant + ", signingSecret=" + masked(signingSecret) + "]";
    }
  }

  /** Every component but the secrets, which show only whether they are set. */
  @Override
  public String toString() {
    return "CallbacksProperties[id=" + id + ", groupId=" + groupId + ", schedule=" + schedule + ", jitter=" + jitter
        + ", connectTimeout=" + connectTimeout + ", readTimeout=" + readTimeout + ", maxResponse=" + maxResponse
        + ", senders=" + senders + ", pollTimeout=" + pollTimeout + ", recordInterval=" + recordInterval
        + ", restartBackoff=" + restartBackoff
        + ", usdPerCredit=" + usdPerCredit + ", secrets=" + secrets + ", demoSecret=" + masked(demoSecret)
        + ", sslBundle=" + sslBundle + "]";
  }

  private static String masked(String secret) {
    return secret == null || secret.isBlank() ? "none" : "[redacted]";
  }

  public CallbacksProperties {
    id = InstanceIds.resolve(id, "callbacks");
    secrets = secrets == null ? List.of() : List.copyOf(secrets);
    if (senders < 1) {
      throw new IllegalArgumentException("quench.callbacks.senders must be at least 1");
    }
    if (recordInterval == null || recordInterval.isNegative()) {
      throw new IllegalArgumentException("quench.callbacks.record-interval must be zero or more");
    }
  }

  /** The retry schedule. */
  public CallbackSchedule retrySchedule() {
    return schedule == null || schedule.isEmpty() ? new CallbackSchedule(CallbackSchedule.DEFAULT.delays(), jitter)
        : new CallbackSchedule(schedule, jitter);
  }

  /** Every tenant's secrets, in the order configured, the demo tenant's first. */
  public Map<String, List<String>> secretsByTenant() {
    Map<String, List<String>> byTenant = new LinkedHashMap<>();
    if (demoSecret != null && !demoSecret.isBlank()) {
      byTenant.computeIfAbsent("demo", t -> new ArrayList<>()).add(demoSecret);
    }
    for (Secret secret : secrets) {
      if (secret.tenant() == null || secret.signingSecret() == null) {
        throw new IllegalArgumentException("quench.callbacks.secrets[] needs tenant and signing-secret");
      }
      byTenant.computeIfAbsent(secret.tenant(), t -> new ArrayList<>()).add(secret.signingSecret());
    }
    return byTenant;
  }

  /** The consumer group, given the topic prefix of this deployment. */
  public String groupIdFor(String topicPrefix) {
    return groupId == null || groupId.isBlank() ? topicPrefix + "quench-callbacks" : groupId;
  }
}
