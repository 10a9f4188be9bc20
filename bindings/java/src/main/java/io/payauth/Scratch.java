package io.payauth;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Per-thread native memory for one call: eight 8-byte out-parameter slots, then the call's
 * inputs and output room, in one direct {@link ByteBuffer}; plus the thread's own
 * {@code payauth_error} (freed by the {@link NativeHandle#CLEANER} when the scratch is dropped).
 * Filling and reading it is plain Java; only the call crosses. {@link #close()} zeroes what was
 * written (inputs and results hold secrets). A nested call, or inputs over {@value #KEEP_MAX}
 * bytes, get a scratch of their own that is not kept.
 */
final class Scratch implements AutoCloseable {
    static final int SLOTS = 8;
    private static final int SLOTS_BYTES = SLOTS * 8;
    static final int KEEP_MAX = 64 * 1024;
    private static final byte[] ZEROS = new byte[4096];
    private static final ThreadLocal<Scratch> LOCAL = new ThreadLocal<>();

    private final ByteBuffer buf;
    private final long base;
    /** This scratch's error object (never shared between threads). */
    final long err;
    private int pos;
    private boolean open;

    private Scratch(int capacity) {
        buf = ByteBuffer.allocateDirect(capacity).order(ByteOrder.LITTLE_ENDIAN);
        base = Pointer.nativeValue(Native.getDirectBufferPointer(buf));
        long e = NativeApi.payauth_error_new();
        err = e;
        NativeHandle.CLEANER.register(this, () -> NativeApi.payauth_error_free(e));
    }

    /** This thread's scratch with room for {@code bytes} bytes after the slots, slots zeroed. */
    static Scratch open(long bytes) {
        if (bytes > Integer.MAX_VALUE - SLOTS_BYTES - 64) {
            throw new IllegalArgumentException("input too large for one call: " + bytes + " bytes");
        }
        int need = (int) bytes + SLOTS_BYTES;
        Scratch s = LOCAL.get();
        if (s != null && s.open || need > KEEP_MAX) {
            s = new Scratch(Math.max(need, 256));
        } else if (s == null || s.buf.capacity() < need) {
            s = new Scratch(Math.min(KEEP_MAX, Math.max(8192, need + (need >> 1))));
            LOCAL.set(s);
        }
        s.pos = SLOTS_BYTES;
        s.open = true;
        for (int i = 0; i < SLOTS; i++) {
            s.buf.putLong(i * 8, 0L);
        }
        return s;
    }

    long slot(int i) {
        return base + 8L * i;
    }

    long slotValue(int i) {
        return buf.getLong(8 * i);
    }

    int slotInt(int i) {
        return buf.getInt(8 * i);
    }

    /** Copies {@code bytes} in and returns their address; 0 (NULL) for null. */
    long put(byte[] bytes) {
        if (bytes == null) {
            return 0L;
        }
        long at = base + pos;
        buf.put(pos, bytes, 0, bytes.length);
        pos += bytes.length;
        return at;
    }

    /** Appends a little-endian u32. */
    void putInt(int v) {
        buf.putInt(pos, v);
        pos += 4;
    }

    /** Reserves {@code n} bytes and returns their address. */
    long reserve(int n) {
        long at = base + pos;
        pos += n;
        return at;
    }

    long next() {
        return base + pos;
    }

    /** Declares that nothing after address {@code end} was written, so {@link #close()} zeroes less. */
    void usedUpTo(long end) {
        long p = end - base;
        if (p >= SLOTS_BYTES && p < pos) {
            pos = (int) p;
        }
    }

    /** {@code len} bytes at {@code addr} inside this buffer, read without a native call. */
    byte[] bytesHere(long addr, int len) {
        int off = (int) (addr - base);
        if (len < 0 || off < SLOTS_BYTES || off + len > buf.capacity()) {
            throw new IllegalStateException("payauth returned an invalid length");
        }
        byte[] out = new byte[len];
        buf.get(off, out, 0, len);
        return out;
    }

    /** Zeroes what this call wrote and releases the buffer to the thread's next call. */
    @Override
    public void close() {
        for (int at = SLOTS_BYTES; at < pos; at += ZEROS.length) {
            buf.put(at, ZEROS, 0, Math.min(ZEROS.length, pos - at));
        }
        pos = SLOTS_BYTES;
        open = false;
        Reference.reachabilityFence(this);
    }

    /** The exception for status {@code rc} of a call made with {@link #err}. */
    PayAuthException failure(int rc) {
        return PayAuthException.of(rc, cString(NativeApi.payauth_error_message(err)));
    }

    /** Copies {@code len} bytes at native address {@code addr} (library-owned memory). */
    static byte[] read(long addr, long len) {
        if (addr == 0 || len < 0 || len > Integer.MAX_VALUE) {
            throw new IllegalStateException("payauth returned an invalid buffer");
        }
        byte[] out = new byte[(int) len];
        new Pointer(addr).read(0, out, 0, out.length);
        return out;
    }

    /** A NUL-terminated UTF-8 string at {@code addr} ("" for NULL). */
    static String cString(long addr) {
        return addr == 0 ? "" : new Pointer(addr).getString(0, StandardCharsets.UTF_8.name());
    }
}
