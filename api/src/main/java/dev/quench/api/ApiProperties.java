package dev.quench.api;

import dev.quench.api.ratelimit.RateLimit;
import dev.quench.api.ratelimit.RateLimits;
import dev.quench.kafka.InstanceIds;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
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
 * @param replicaMaxStaleness how far behind the view topic the replica may read before readiness says
 *                        OUT_OF_SERVICE: it must have read, by now, every view written this long ago
 * @param actuatorAccess  who may read the actuator (metrics, Prometheus) on the api's own port: {@code loopback}
 *                        (clients on this machine, the default) or {@code open}; health is open to all either way
 * @param rateLimit       the limits of every key without its own: {@link #DEFAULT_LIMITS} unless set
 * @param demoRateLimit   the demo key's limits: {@link #DEMO_LIMITS} unless set
 * @param accessLog       whether to log one line per request (logger {@code dev.quench.api.access})
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
    @DefaultValue("256MB") DataSize replicaCache,
    @DefaultValue("30s") Duration replicaMaxStaleness,
    @DefaultValue("loopback") String actuatorAccess,
    RateLimits rateLimit,
    RateLimits demoRateLimit,
    @DefaultValue("false") boolean accessLog) {

  /** 100 reads and 50 writes a second sustained, each with a burst of a minute's quota. */
  public static final RateLimits DEFAULT_LIMITS = new RateLimits(new RateLimit(6_000, Duration.ofMinutes(1)),
      new RateLimit(3_000, Duration.ofMinutes(1)));
  /**
   * The demo key serves the embedded default, where one person (or the benchmark) is the only client: far above what
   * one machine serves, so the limit shows in the headers without getting in the way.
   */
  public static final RateLimits DEMO_LIMITS = new RateLimits(new RateLimit(100_000, Duration.ofMinutes(1)),
      new RateLimit(100_000, Duration.ofMinutes(1)));

  /**
   * An API key as configured: never the key itself.
   *
   * @param id     public id, recorded in events as who asked
   * @param sha256 hex SHA-256 of the key ({@code echo -n "$KEY" | sha256sum})
   * @param tenant whose tasks it sees
   * @param scopes what it may do: tasks:read, tasks:write, tasks:cancel, audit:read
   * @param rateLimit its own limits; what it leaves unset is {@code quench.api.rate-limit}'s
   */
  public record Key(String id, String sha256, String tenant, Set<String> scopes, RateLimits rateLimit) {
  }

  public ApiProperties {
    id = InstanceIds.resolve(id, "api");
    keys = keys == null ? List.of() : List.copyOf(keys);
    scoutProcessors = scoutProcessors == null ? Map.of() : Map.copyOf(scoutProcessors);
    if (!replicaStore.equals("memory") && !replicaStore.equals("rocksdb")) {
      throw new IllegalArgumentException("quench.api.replica-store must be memory or rocksdb, was " + replicaStore);
    }
    if (!actuatorAccess.equals("loopback") && !actuatorAccess.equals("open")) {
      throw new IllegalArgumentException("quench.api.actuator-access must be loopback or open, was "
          + actuatorAccess);
    }
    rateLimit = rateLimit == null ? DEFAULT_LIMITS : rateLimit.orElse(DEFAULT_LIMITS);
    demoRateLimit = demoRateLimit == null ? DEMO_LIMITS : demoRateLimit.orElse(DEMO_LIMITS);
    if (replicaPath == null) {
      replicaPath = Path.of(System.getProperty("java.io.tmpdir"), "quench-api-replica-" + id);
    }
  }

  /** Each key's limits, by key id, checked: its own over the default, the demo key's own. */
  public Map<String, RateLimits> rateLimitsByKey() {
    Map<String, RateLimits> limits = new HashMap<>();
    for (Key key : keys) {
      limits.put(key.id(), checked("quench.api.keys[" + key.id() + "].rate-limit",
          key.rateLimit() == null ? rateLimit : key.rateLimit().orElse(rateLimit)));
    }
    if (demoKey != null && !demoKey.isBlank()) {
      limits.put("demo", checked("quench.api.demo-rate-limit", demoRateLimit));
    }
    return limits;
  }

  private static RateLimits checked(String what, RateLimits limits) {
    limits.reads().checked(what + ".reads");
    limits.writes().checked(what + ".writes");
    return limits;
  }

  /** The producer name of the events this instance appends. */
  public String producer() {
    return "api/" + id;
  }
}
