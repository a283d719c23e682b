package dev.quench.api;

import dev.quench.kafka.InstanceIds;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * {@code quench.api.*}.
 *
 * @param id              this instance's id, recorded as the producer of the requests it appends
 * @param demoKey         a key in plain text for the embedded default and demos ({@code QUENCH_DEMO_API_KEY}):
 *                        tenant {@code demo}, every scope. Leave unset in production and configure {@code keys}.
 * @param keys            the API keys, each by the SHA-256 of the key, with its tenant and scopes
 * @param appendTimeout   the longest a request waits for the log to confirm it before the api answers 503
 * @param catchUpTimeout  the longest a read waits to have read the requests other instances acknowledged before it
 * @param pendingLookback how far back a starting api reads requests that no view may reflect yet
 * @param startupTimeout  the longest the api waits at start for its replica to read the view topic
 * @param idempotencyRetention how long an {@code Idempotency-Key} is remembered: within it, a retry gets the first
 *                        answer (or 422 if its body differs); after it, the key starts a new request
 * @param usdPerCredit    the USD value of one credit, shown as the {@code *_usd_reference} of credit amounts
 * @param scoutProcessors which capability each Scout processor tier (base, core, ultra) runs
 * @param scoutCancelWait how long a Scout cancel waits for the task to end before it answers the state it has then:
 *                        a queued task's cancel answers {@code cancelled}, as Scout's own does
 * @param replicaStore    where the replica keeps views: {@code memory} (default), or {@code rocksdb} on disk, for
 *                        read models larger than the heap
 * @param replicaPath     the directory of a {@code rocksdb} replica; one per api instance
 * @param replicaCache    the block cache of a {@code rocksdb} replica: native memory, outside the Java heap
 */
@ConfigurationProperties("quench.api")
public record ApiProperties(
    String id,
    String demoKey,
    List<Key> keys,
    @DefaultValue("5s") Duration appendTimeout,
    @DefaultValue("2s") Duration catchUpTimeout,
    @DefaultValue("15m") Duration pendingLookback,
    @DefaultValue("5m") Duration startupTimeout,
    @DefaultValue("24h") Duration idempotencyRetention,
    @DefaultValue("0.01") BigDecimal usdPerCredit,
    Map<String, String> scoutProcessors,
    @DefaultValue("2s") Duration scoutCancelWait,
    @DefaultValue("memory") String replicaStore,
    Path replicaPath,
    @DefaultValue("256MB") DataSize replicaCache) {

  /**
   * An API key as configured: never the key itself.
   *
   * @param id     public id, recorded in events as who asked
   * @param sha256 hex SHA-256 of the key ({@code echo -n "$KEY" | sha256sum})
   * @param tenant whose tasks it sees
   * @param scopes what it may do: tasks:read, tasks:write, tasks:cancel, audit:read
   */
  public record Key(String id, String sha256, String tenant, Set<String> scopes) {
  }

  public ApiProperties {
    id = InstanceIds.resolve(id, "api");
    keys = keys == null ? List.of() : List.copyOf(keys);
    scoutProcessors = scoutProcessors == null ? Map.of() : Map.copyOf(scoutProcessors);
    if (!replicaStore.equals("memory") && !replicaStore.equals("rocksdb")) {
      throw new IllegalArgumentException("quench.api.replica-store must be memory or rocksdb, was " + replicaStore);
    }
    if (replicaPath == null) {
      replicaPath = Path.of(System.getProperty("java.io.tmpdir"), "quench-api-replica-" + id);
    }
  }

  /** The producer name of the events this instance appends. */
  public String producer() {
    return "api/" + id;
  }
}
