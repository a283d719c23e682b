package dev.quench.api.log;

import dev.quench.api.log.TaskViewReplica.IndexKey;
import dev.quench.events.TaskView;
import dev.quench.events.wire.EventCodec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.CompressionType;
import org.rocksdb.DBOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * Views and index on disk, in RocksDB, for read models larger than the heap: memory holds a block cache
 * ({@code quench.api.replica-cache}, native, outside the Java heap), not the views. Views are kept as the view
 * topic's JSON behind their log offset (eight bytes, big-endian), so a merge compares offsets without decoding; the
 * index orders keys by tenant, then newest first; how far the view topic was read is kept too, so a restarted api
 * goes on from there instead of reading every view again.
 *
 * <p>The store is a cache of the view topic: one written in another {@link #FORMAT} is dropped and filled again from
 * the topic.
 */
public final class RocksViewStore implements ViewStore {

  private static final byte[] INDEX = "index".getBytes(StandardCharsets.UTF_8);
  private static final byte[] META = "meta".getBytes(StandardCharsets.UTF_8);
  private static final byte[] CANCEL_KEYS = "cancel-keys".getBytes(StandardCharsets.UTF_8);
  private static final String POSITION = "view-position-";
  private static final byte[] FORMAT_KEY = "format".getBytes(StandardCharsets.UTF_8);
  /**
   * The layout of what is stored; another one found at open means a store to fill again (one of layout 1 lacks the
   * index of cancels' idempotency keys).
   */
  static final byte[] FORMAT = "offset-prefixed-json/2".getBytes(StandardCharsets.UTF_8);

  static {
    RocksDB.loadLibrary();
  }

  private final EventCodec codec;
  private final DBOptions dbOptions;
  private final ColumnFamilyOptions columnOptions;
  private final LRUCache cache;
  private final WriteOptions writeOptions;
  private final RocksDB db;
  private final ColumnFamilyHandle views;
  private final ColumnFamilyHandle index;
  private final ColumnFamilyHandle meta;
  private final ColumnFamilyHandle cancelKeys;
  private final List<ColumnFamilyHandle> handles = new ArrayList<>();

  /** Opens (or creates) the store in {@code directory}, with a block cache of {@code cacheBytes} (native memory). */
  public RocksViewStore(Path directory, long cacheBytes, EventCodec codec) {
    this.codec = codec;
    try {
      Files.createDirectories(directory);
      cache = new LRUCache(cacheBytes);
      columnOptions = new ColumnFamilyOptions()
          .setCompressionType(CompressionType.LZ4_COMPRESSION)
          .setTableFormatConfig(new BlockBasedTableConfig().setBlockCache(cache)
              .setFilterPolicy(new BloomFilter(10)));
      dbOptions = new DBOptions().setCreateIfMissing(true).setCreateMissingColumnFamilies(true);
      // The view topic is the source: a write lost in a crash is read again from the topic, so no fsync per write.
      writeOptions = new WriteOptions().setDisableWAL(false).setSync(false);
      List<ColumnFamilyDescriptor> families = List.of(
          new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, columnOptions),
          new ColumnFamilyDescriptor(INDEX, columnOptions),
          new ColumnFamilyDescriptor(META, columnOptions),
          new ColumnFamilyDescriptor(CANCEL_KEYS, columnOptions));
      RocksDB opened = RocksDB.open(dbOptions, directory.toString(), families, handles);
      byte[] format = opened.get(handles.get(2), FORMAT_KEY);
      if (!Arrays.equals(format, FORMAT)) {
        if (format != null || opened.getLongProperty("rocksdb.estimate-num-keys") > 0) {
          handles.forEach(ColumnFamilyHandle::close);
          handles.clear();
          opened.close();
          try (org.rocksdb.Options options = new org.rocksdb.Options()) {
            RocksDB.destroyDB(directory.toString(), options);
          }
          opened = RocksDB.open(dbOptions, directory.toString(), families, handles);
        }
        opened.put(handles.get(2), FORMAT_KEY, FORMAT);
      }
      db = opened;
      views = handles.get(0);
      index = handles.get(1);
      meta = handles.get(2);
      cancelKeys = handles.get(3);
    } catch (RocksDBException | java.io.IOException e) {
      throw new IllegalStateException("cannot open the replica store in " + directory, e);
    }
  }

  @Override
  public TaskView get(String taskId) {
    try {
      byte[] value = db.get(views, utf8(taskId));
      return value == null ? null : codec.decodeView(value, Long.BYTES, value.length - Long.BYTES);
    } catch (RocksDBException e) {
      throw new IllegalStateException("cannot read the view of " + taskId, e);
    }
  }

  @Override
  public boolean merge(TaskView view, byte[] encoded) {
    byte[] key = utf8(view.task().taskId());
    try {
      byte[] stored = db.get(views, key);
      if (stored != null && ByteBuffer.wrap(stored).getLong() > view.logOffset()) {
        return false;
      }
      byte[] json = encoded != null ? encoded : codec.encodeView(view);
      db.put(views, writeOptions, key, ByteBuffer.allocate(Long.BYTES + json.length).putLong(view.logOffset())
          .put(json).array());
      return true;
    } catch (RocksDBException e) {
      throw new IllegalStateException("cannot store the view of " + view.task().taskId(), e);
    }
  }

  @Override
  public void remove(String taskId) {
    try {
      db.delete(views, writeOptions, utf8(taskId));
    } catch (RocksDBException e) {
      throw new IllegalStateException("cannot remove the view of " + taskId, e);
    }
  }

  @Override
  public long size() {
    try {
      return db.getLongProperty(views, "rocksdb.estimate-num-keys");
    } catch (RocksDBException e) {
      return -1;
    }
  }

  @Override
  public void index(IndexKey key) {
    try {
      db.put(index, writeOptions, indexKey(key), indexValue(key));
    } catch (RocksDBException e) {
      throw new IllegalStateException("cannot index " + key.taskId(), e);
    }
  }

  @Override
  public void unindex(IndexKey key) {
    try {
      db.delete(index, writeOptions, indexKey(key));
    } catch (RocksDBException e) {
      throw new IllegalStateException("cannot unindex " + key.taskId(), e);
    }
  }

  @Override
  public void forEachAfter(IndexKey from, Predicate<IndexKey> visitor) {
    byte[] start = indexKey(from);
    try (RocksIterator it = db.newIterator(index)) {
      for (it.seek(start); it.isValid(); it.next()) {
        if (Arrays.equals(it.key(), start)) {
          continue;
        }
        if (!visitor.test(fromIndex(it.key(), it.value()))) {
          return;
        }
      }
    }
  }

  @Override
  public Map<Integer, Long> viewPositions() {
    Map<Integer, Long> positions = new HashMap<>();
    try (RocksIterator it = db.newIterator(meta)) {
      byte[] prefix = utf8(POSITION);
      for (it.seek(prefix); it.isValid() && startsWith(it.key(), prefix); it.next()) {
        String name = new String(it.key(), StandardCharsets.UTF_8);
        positions.put(Integer.parseInt(name.substring(POSITION.length())), ByteBuffer.wrap(it.value()).getLong());
      }
    }
    return positions;
  }

  @Override
  public void saveViewPositions(Map<Integer, Long> positions) {
    try (WriteBatch batch = new WriteBatch()) {
      for (Map.Entry<Integer, Long> position : positions.entrySet()) {
        batch.put(meta, utf8(POSITION + position.getKey()),
            ByteBuffer.allocate(Long.BYTES).putLong(position.getValue()).array());
      }
      db.write(writeOptions, batch);
    } catch (RocksDBException e) {
      throw new IllegalStateException("cannot save how far the view topic was read", e);
    }
  }

  /**
   * Keyed by the key id (16 bytes) then the task id, so one key's uses are one prefix; the value is when it was first
   * used on that task: the retention counts from there, as for a create.
   */
  @Override
  public void indexCancelKey(UUID keyId, String taskId, Instant at) {
    byte[] task = utf8(taskId);
    byte[] key = ByteBuffer.allocate(16 + task.length).putLong(keyId.getMostSignificantBits())
        .putLong(keyId.getLeastSignificantBits()).put(task).array();
    try {
      if (db.get(cancelKeys, key) != null) {
        return;
      }
      db.put(cancelKeys, writeOptions, key, ByteBuffer.allocate(Long.BYTES).putLong(at.toEpochMilli()).array());
    } catch (RocksDBException e) {
      throw new IllegalStateException("cannot index a cancel of " + taskId, e);
    }
  }

  @Override
  public String otherTaskOfCancelKey(UUID keyId, String taskId, Instant since) {
    byte[] prefix = ByteBuffer.allocate(16).putLong(keyId.getMostSignificantBits())
        .putLong(keyId.getLeastSignificantBits()).array();
    try (RocksIterator it = db.newIterator(cancelKeys)) {
      for (it.seek(prefix); it.isValid() && startsWith(it.key(), prefix); it.next()) {
        String task = new String(it.key(), 16, it.key().length - 16, StandardCharsets.UTF_8);
        if (!task.equals(taskId) && ByteBuffer.wrap(it.value()).getLong() >= since.toEpochMilli()) {
          return task;
        }
      }
    }
    return null;
  }

  @Override
  public void forgetCancelKeysBefore(Instant cutoff) {
    try (RocksIterator it = db.newIterator(cancelKeys); WriteBatch batch = new WriteBatch()) {
      for (it.seekToFirst(); it.isValid(); it.next()) {
        if (ByteBuffer.wrap(it.value()).getLong() < cutoff.toEpochMilli()) {
          batch.delete(cancelKeys, it.key());
        }
      }
      db.write(writeOptions, batch);
    } catch (RocksDBException e) {
      throw new IllegalStateException("cannot forget old cancel keys", e);
    }
  }

  @Override
  public void close() {
    handles.forEach(ColumnFamilyHandle::close);
    db.close();
    writeOptions.close();
    dbOptions.close();
    columnOptions.close();
    cache.close();
  }

  /**
   * Tenant, a zero byte, the creation time newest first (Long.MAX_VALUE minus milliseconds, big-endian), then the
   * task id with its bytes inverted and a 0xFF terminator: byte order is listing order, task ids descending.
   */
  private static byte[] indexKey(IndexKey key) {
    byte[] tenant = utf8(key.tenant());
    byte[] task = utf8(key.taskId());
    ByteBuffer buffer = ByteBuffer.allocate(tenant.length + 1 + Long.BYTES + task.length + 1);
    buffer.put(tenant).put((byte) 0).putLong(Long.MAX_VALUE - millis(key.createdAt()));
    for (byte b : task) {
      buffer.put((byte) ~b);
    }
    return buffer.put((byte) 0xFF).array();
  }

  private static byte[] indexValue(IndexKey key) {
    return utf8(millis(key.createdAt()) + "|" + key.taskId());
  }

  private static IndexKey fromIndex(byte[] key, byte[] value) {
    int zero = 0;
    while (key[zero] != 0) {
      zero++;
    }
    String tenant = new String(key, 0, zero, StandardCharsets.UTF_8);
    String[] parts = new String(value, StandardCharsets.UTF_8).split("\\|", 2);
    return new IndexKey(tenant, Instant.ofEpochMilli(Long.parseLong(parts[0])), parts[1]);
  }

  private static long millis(Instant instant) {
    return instant.equals(Instant.MAX) ? Long.MAX_VALUE : instant.toEpochMilli();
  }

  private static boolean startsWith(byte[] bytes, byte[] prefix) {
    return bytes.length >= prefix.length && Arrays.equals(bytes, 0, prefix.length, prefix, 0, prefix.length);
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
