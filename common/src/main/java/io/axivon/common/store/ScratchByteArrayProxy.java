package io.axivon.common.store;

import java.util.Arrays;
import java.util.Comparator;
import jnr.ffi.Pointer;
import jnr.ffi.provider.MemoryManager;
import org.lmdbjava.BufferProxy;

/**
 * lmdbjava's byte[] buffer proxy, except that keys and values going in are copied into a small
 * per-thread ring of reusable native buffers: lmdbjava's own allocates (and registers for cleanup)
 * fresh native memory for every key, which cost more than the LMDB lookup itself. Values coming out
 * are still copied into fresh arrays, so nothing handed out points into the map.
 *
 * <p>A buffer from the ring is only referenced until the lmdbjava call that filled it returns; one
 * call fills at most two (key and value), so a ring of four never hands out a buffer still in use.
 */
final class ScratchByteArrayProxy extends BufferProxy<byte[]> {
  /** Inputs up to this size use the ring (LMDB keys are at most 511 bytes). */
  static final int SCRATCH = 1024;

  private static final int RING = 4;

  private final MemoryManager memory = jnr.ffi.Runtime.getSystemRuntime().getMemoryManager();
  private final ThreadLocal<Ring> rings = ThreadLocal.withInitial(() -> new Ring(memory));

  private static final class Ring {
    private final Pointer[] buffers = new Pointer[RING];
    private int next;

    Ring(MemoryManager memory) {
      for (int i = 0; i < RING; i++) {
        buffers[i] = memory.allocateDirect(SCRATCH, true); // freed with the ring
      }
    }

    Pointer next() {
      Pointer p = buffers[next];
      next = (next + 1) % RING;
      return p;
    }
  }

  @Override
  protected byte[] allocate() {
    return new byte[0];
  }

  @Override
  protected void deallocate(byte[] buffer) {
    // heap arrays: nothing to release
  }

  @Override
  protected byte[] getBytes(byte[] buffer) {
    return buffer;
  }

  @Override
  protected Comparator<byte[]> getSignedComparator() {
    return Arrays::compare;
  }

  @Override
  protected Comparator<byte[]> getUnsignedComparator() {
    return Arrays::compareUnsigned;
  }

  @Override
  protected Pointer in(byte[] buffer, Pointer ptr) {
    Pointer data =
        buffer.length <= SCRATCH
            ? rings.get().next()
            : memory.allocateDirect(buffer.length); // rare large value: kept alive by lmdbjava
    data.put(0, buffer, 0, buffer.length);
    ptr.putLong(STRUCT_FIELD_OFFSET_SIZE, buffer.length);
    ptr.putAddress(STRUCT_FIELD_OFFSET_DATA, data.address());
    return data;
  }

  @Override
  protected Pointer in(byte[] buffer, int size, Pointer ptr) {
    // MDB_RESERVE: LMDB chose the address; nothing to copy
    return memory.newPointer(ptr.getAddress(STRUCT_FIELD_OFFSET_DATA), size);
  }

  @Override
  protected byte[] out(byte[] buffer, Pointer ptr) {
    long address = ptr.getAddress(STRUCT_FIELD_OFFSET_DATA);
    int size = (int) ptr.getLong(STRUCT_FIELD_OFFSET_SIZE);
    byte[] out = new byte[size];
    memory.newPointer(address, size).get(0, out, 0, size);
    return out;
  }
}
