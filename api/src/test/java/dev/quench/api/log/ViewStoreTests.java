package dev.quench.api.log;

import static org.assertj.core.api.Assertions.assertThat;

import dev.quench.api.log.TaskViewReplica.IndexKey;
import dev.quench.events.Envelope;
import dev.quench.events.TaskHistory;
import dev.quench.events.TaskState;
import dev.quench.events.TaskView;
import dev.quench.events.wire.EventCodec;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

/** Both stores keep the same promises: the later view wins, listing order, exclusive cursors, saved positions. */
class ViewStoreTests {

  @TempDir
  Path dir;

  private static TaskView view(String taskId, long offset) {
    Envelope submitted = TaskHistory.task(taskId).submitted();
    return new TaskView(TaskState.fold(List.of(submitted)), 0, offset);
  }

  private static List<String> listed(ViewStore store, IndexKey after) {
    List<String> ids = new ArrayList<>();
    store.forEachAfter(after, key -> ids.add(key.tenant() + "/" + key.taskId()));
    return ids;
  }

  private static final EventCodec CODEC = new EventCodec();
  private static final UUID CANCEL_KEY = UUID.randomUUID();

  private void keepsItsPromises(ViewStore store) {
    assertThat(store.merge(view("t-1", 5), null)).isTrue();
    assertThat(store.merge(view("t-1", 3), CODEC.encodeView(view("t-1", 3)))).isFalse();
    assertThat(store.get("t-1").logOffset()).isEqualTo(5);
    assertThat(store.merge(view("t-1", 9), CODEC.encodeView(view("t-1", 9)))).isTrue();
    assertThat(store.get("t-1").logOffset()).isEqualTo(9);
    assertThat(store.get("missing")).isNull();

    Instant t = Instant.parse("2026-11-23T10:00:00.123Z");
    store.index(new IndexKey("acme", t, "a"));
    store.index(new IndexKey("acme", t.plusMillis(1), "b"));
    store.index(new IndexKey("acme", t, "ab"));
    store.index(new IndexKey("zeta", t, "z"));
    store.index(new IndexKey("ac", t, "x"));
    IndexKey start = new IndexKey("acme", Instant.MAX, "\uffff");
    assertThat(listed(store, start)).containsExactly("acme/b", "acme/ab", "acme/a", "zeta/z");
    assertThat(listed(store, new IndexKey("acme", t, "ab"))).containsExactly("acme/a", "zeta/z");
    store.unindex(new IndexKey("acme", t, "ab"));
    assertThat(listed(store, start)).containsExactly("acme/b", "acme/a", "zeta/z");

    UUID key = UUID.randomUUID();
    store.indexCancelKey(key, "t-1", t);
    store.indexCancelKey(key, "t-1", t.plusSeconds(5));
    assertThat(store.otherTaskOfCancelKey(key, "t-1", t)).as("a retry on the same task").isNull();
    assertThat(store.otherTaskOfCancelKey(key, "t-2", t)).isEqualTo("t-1");
    assertThat(store.otherTaskOfCancelKey(key, "t-2", t.plusMillis(1))).as("past its retention").isNull();
    assertThat(store.otherTaskOfCancelKey(UUID.randomUUID(), "t-2", t)).isNull();
    UUID old = UUID.randomUUID();
    store.indexCancelKey(old, "t-3", t.minusSeconds(60));
    store.forgetCancelKeysBefore(t);
    assertThat(store.otherTaskOfCancelKey(old, "t-2", Instant.EPOCH)).as("forgotten").isNull();
    assertThat(store.otherTaskOfCancelKey(key, "t-2", Instant.EPOCH)).isEqualTo("t-1");
  }

  @Test
  void theMemoryStoreKeepsThePromises() {
    try (MemoryViewStore store = new MemoryViewStore(CODEC)) {
      keepsItsPromises(store);
      assertThat(store.viewPositions()).isEmpty();
    }
  }

  @Test
  void theMemoryStoreListsInTheOrderOfTheKeysItWasGiven() {
    Comparator<IndexKey> byTenantNewestFirst = Comparator.comparing(IndexKey::tenant)
        .thenComparing(IndexKey::createdAt, Comparator.reverseOrder())
        .thenComparing(IndexKey::taskId, Comparator.reverseOrder());
    Random random = new Random(7);
    Instant t = Instant.parse("2026-11-23T10:00:00Z");
    List<IndexKey> keys = new ArrayList<>();
    for (int n = 0; n < 2_000; n++) {
      // Few distinct seconds and nanoseconds, so ties in each field are common.
      keys.add(new IndexKey(random.nextBoolean() ? "acme" : "zeta", t.plusSeconds(random.nextInt(3))
          .plusNanos(random.nextInt(3) * 1_000_000L + random.nextInt(2)), "t-" + random.nextInt(500)));
    }
    try (MemoryViewStore store = new MemoryViewStore(CODEC)) {
      keys.forEach(store::index);
      List<IndexKey> expected = keys.stream().distinct().sorted(byTenantNewestFirst).toList();
      List<IndexKey> listed = new ArrayList<>();
      store.forEachAfter(new IndexKey("acme", Instant.MAX, "\uffff"), listed::add);
      assertThat(listed).containsExactlyElementsOf(expected);
      IndexKey cursor = expected.get(expected.size() / 3);
      List<IndexKey> rest = new ArrayList<>();
      store.forEachAfter(cursor, rest::add);
      assertThat(rest).containsExactlyElementsOf(expected.subList(expected.size() / 3 + 1, expected.size()));
    }
  }

  @Test
  void theMemoryStoreReadsBackTheLatestViewWhole() {
    try (MemoryViewStore store = new MemoryViewStore(CODEC)) {
      TaskView queued = view("t-1", 5);
      TaskHistory task = TaskHistory.task("t-1");
      TaskView cancelled = new TaskView(TaskState.fold(List.of(task.submitted(), task.cancelRequested("stop"))), 2,
          8);
      assertThat(store.merge(queued, CODEC.encodeView(queued))).isTrue();
      assertThat(store.get("t-1")).isEqualTo(queued);
      assertThat(store.merge(cancelled, null)).as("a later view, encoded by the store").isTrue();
      assertThat(store.get("t-1")).isEqualTo(cancelled);
      assertThat(store.merge(queued, CODEC.encodeView(queued))).as("an earlier view").isFalse();
      assertThat(store.get("t-1")).isEqualTo(cancelled);
      assertThat(store.merge(cancelled, CODEC.encodeView(cancelled))).as("the same offset again").isTrue();
      store.remove("t-1");
      assertThat(store.get("t-1")).isNull();
      assertThat(store.size()).isZero();
    }
  }

  @Test
  void theMemoryStoreDecodesAViewOnceUntilAnotherReplacesItOrItIsRemoved() {
    try (MemoryViewStore store = new MemoryViewStore(CODEC)) {
      store.merge(view("t-1", 5), null);
      store.merge(view("t-2", 5), CODEC.encodeView(view("t-2", 5)));
      TaskView first = store.get("t-1");

      assertThat(store.get("t-1")).isSameAs(first);
      store.merge(view("t-1", 7), null);
      assertThat(store.get("t-1").logOffset()).isEqualTo(7);
      store.remove("t-1");
      assertThat(store.get("t-1")).isNull();
      assertThat(store.get("t-2").logOffset()).isEqualTo(5);
    }
  }

  @Test
  void theMemoryStoreGivesReadersWholeViewsWhileTheReplicaMerges() throws Exception {
    try (MemoryViewStore store = new MemoryViewStore(CODEC)) {
      store.merge(view("t-1", 0), null);
      ExecutorService readers = Executors.newFixedThreadPool(4);
      try {
        List<Future<Long>> reads = new ArrayList<>();
        for (int r = 0; r < 4; r++) {
          reads.add(readers.submit(() -> {
            long last = 0;
            for (int i = 0; i < 2_000; i++) {
              TaskView read = store.get("t-1");
              assertThat(read.task().taskId()).isEqualTo("t-1");
              assertThat(read.logOffset()).isGreaterThanOrEqualTo(last);
              last = read.logOffset();
            }
            return last;
          }));
        }
        for (long offset = 1; offset <= 2_000; offset++) {
          store.merge(view("t-1", offset), null);
        }
        for (Future<Long> read : reads) {
          assertThat(read.get(30, TimeUnit.SECONDS)).isBetween(0L, 2_000L);
        }
      } finally {
        readers.shutdownNow();
      }
    }
  }

  @Test
  void theDiskStoreKeepsThePromisesAndEverythingAcrossAReopen() {
    try (RocksViewStore store = new RocksViewStore(dir, 8 * 1024 * 1024, CODEC)) {
      keepsItsPromises(store);
      store.saveViewPositions(Map.of(0, 42L, 5, 7L));
      store.indexCancelKey(CANCEL_KEY, "t-1", Instant.now());
    }
    try (RocksViewStore reopened = new RocksViewStore(dir, 8 * 1024 * 1024, CODEC)) {
      assertThat(reopened.get("t-1").logOffset()).isEqualTo(9);
      assertThat(reopened.viewPositions()).containsEntry(0, 42L).containsEntry(5, 7L);
      assertThat(listed(reopened, new IndexKey("acme", Instant.MAX, "\uffff"))).hasSize(3);
      assertThat(reopened.otherTaskOfCancelKey(CANCEL_KEY, "t-2", Instant.EPOCH)).isEqualTo("t-1");
    }
  }

  @Test
  void aDiskStoreOfAnotherFormatIsDroppedToBeFilledAgainFromTheTopic() throws RocksDBException {
    List<ColumnFamilyHandle> handles = new ArrayList<>();
    try (DBOptions options = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true);
        RocksDB old = RocksDB.open(options, dir.toString(), List.of(
            new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY),
            new ColumnFamilyDescriptor("index".getBytes(StandardCharsets.UTF_8)),
            new ColumnFamilyDescriptor("meta".getBytes(StandardCharsets.UTF_8))), handles)) {
      old.put(handles.get(0), "t-1".getBytes(StandardCharsets.UTF_8), CODEC.encodeView(view("t-1", 5)));
      old.put(handles.get(2), "view-position-0".getBytes(StandardCharsets.UTF_8), new byte[8]);
      handles.forEach(ColumnFamilyHandle::close);
    }
    try (RocksViewStore store = new RocksViewStore(dir, 8 * 1024 * 1024, CODEC)) {
      assertThat(store.get("t-1")).isNull();
      assertThat(store.viewPositions()).isEmpty();
      assertThat(store.merge(view("t-1", 5), null)).isTrue();
    }
    try (RocksViewStore reopened = new RocksViewStore(dir, 8 * 1024 * 1024, CODEC)) {
      assertThat(reopened.get("t-1").logOffset()).as("a store of this format is kept").isEqualTo(5);
    }
  }
}
