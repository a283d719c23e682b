package dev.quench.api.log;

import dev.quench.events.TaskView;
import dev.quench.events.wire.EventCodec;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * A view as {@link MemoryViewStore} holds it: the view topic's JSON, deflated against {@link ViewDictionary}, behind
 * the log offset it reflects, so a merge compares offsets without inflating anything. A decoded view is a graph of
 * records, strings, instants and JSON nodes, some two and a half kilobytes of heap; this is one array of a few
 * hundred bytes.
 *
 * <p>Raw deflate, without zlib's wrapper: the bytes never leave this heap, so the ten bytes a view it would cost (a
 * header, the dictionary's id, a checksum) would guard against nothing.
 */
final class PackedView {

  private static final byte[] DICTIONARY = ViewDictionary.build();
  /** What a thread keeps to inflate into; a larger view gets an array of its own, so no thread keeps a huge one. */
  private static final int SCRATCH = 16 * 1024;

  // zlib streams are not thread-safe, and a new one per call would allocate zlib's native state (a quarter of a
  // megabyte for a deflater) for every view, freed only when a Cleaner gets to it: one per thread. Views are packed
  // by the replica's thread, unpacked by every request thread.
  private static final ThreadLocal<Packer> PACKERS = ThreadLocal.withInitial(Packer::new);
  private static final ThreadLocal<Unpacker> UNPACKERS = ThreadLocal.withInitial(Unpacker::new);

  final long logOffset;
  private final byte[] deflated;

  private PackedView(long logOffset, byte[] deflated) {
    this.logOffset = logOffset;
    this.deflated = deflated;
  }

  /** {@code json}, a view as {@link EventCodec#encodeView} writes it, reflecting the log up to {@code logOffset}. */
  static PackedView pack(long logOffset, byte[] json) {
    return new PackedView(logOffset, PACKERS.get().deflate(json));
  }

  /** @throws dev.quench.events.wire.UndecodableRecordException as {@link EventCodec#decodeView} would */
  TaskView unpack(EventCodec codec) {
    return UNPACKERS.get().inflate(deflated, codec);
  }

  /** How many bytes the deflated view takes, without the array's header: for tests. */
  int packedLength() {
    return deflated.length;
  }

  private static final class Packer {
    private final Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    private final byte[] buffer = new byte[SCRATCH];

    byte[] deflate(byte[] json) {
      deflater.reset();
      deflater.setDictionary(DICTIONARY);
      deflater.setInput(json);
      deflater.finish();
      byte[] out = buffer;
      int length = 0;
      while (!deflater.finished()) {
        if (length == out.length) {
          out = Arrays.copyOf(out, out.length * 2);
        }
        length += deflater.deflate(out, length, out.length - length);
      }
      return Arrays.copyOf(out, length);
    }
  }

  private static final class Unpacker {
    private final Inflater inflater = new Inflater(true);
    private final byte[] buffer = new byte[SCRATCH];

    TaskView inflate(byte[] deflated, EventCodec codec) {
      inflater.reset();
      inflater.setDictionary(DICTIONARY);
      inflater.setInput(deflated);
      byte[] out = buffer;
      int length = 0;
      try {
        while (!inflater.finished()) {
          if (length == out.length) {
            out = Arrays.copyOf(out, out.length * 2);
          }
          int inflated = inflater.inflate(out, length, out.length - length);
          if (inflated == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
            throw new IllegalStateException("a packed view ends before its last block");
          }
          length += inflated;
        }
      } catch (DataFormatException e) {
        throw new IllegalStateException("a packed view does not inflate", e);
      }
      return codec.decodeView(out, 0, length);
    }
  }
}
