package dev.quench.benchmark.baseline;

import java.nio.ByteBuffer;

/** A relay record's value: the run and the sequence number up front, padding to the hop's size after. */
final class Payload {

  private Payload() {
  }

  static byte[] of(int run, long sequence, int size) {
    byte[] value = new byte[Math.max(RecordShape.MIN_VALUE_BYTES, size)];
    ByteBuffer.wrap(value).putInt(run).putLong(sequence);
    return value;
  }

  /** The same run and sequence number in a value of another size. */
  static byte[] reshape(byte[] value, int size) {
    byte[] next = new byte[Math.max(RecordShape.MIN_VALUE_BYTES, size)];
    System.arraycopy(value, 0, next, 0, RecordShape.MIN_VALUE_BYTES);
    return next;
  }

  static int run(byte[] value) {
    return ByteBuffer.wrap(value).getInt(0);
  }

  static long sequence(byte[] value) {
    return ByteBuffer.wrap(value).getLong(4);
  }
}
