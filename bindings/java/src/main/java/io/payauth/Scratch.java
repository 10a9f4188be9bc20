package io.payauth;

import com.sun.jna.Native;
import com.sun.jna.Pointer;
import java.lang.ref.Reference;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Per-thread native memory for one call: eight 8-byte out-parameter slots followed by the call's
 * byte inputs, all in one direct {@link ByteBuffer} whose address is passed to the library.
 * Writing and reading it is plain Java (no native crossing); only the call itself crosses.
 *
 * <p>Usage: {@code Scratch s = Scratch.open(bytesNeeded)}, {@link #put} each input (returns
 * its address), call, read {@link #slot}s, then {@link #close()} in a finally block, which zeroes
 * what was written (inputs may hold secrets) and keeps {@code s} reachable until then. A
 * thread's buffer is reused by its next call; inputs larger than {@value #KEEP_MAX} bytes get a
 * buffer of their own that is not kept, and so does a call made while the thread's buffer is
 * already open (a nested call, e.g. a constant looked up while building an error).
 */
final class Scratch implements AutoCloseable {
    /** Out-parameter slots at the start of the buffer. */
    static final int SLOTS = 8;
    private static final int SLOTS_BYTES = SLOTS * 8;
    /** Largest buffer kept per thread. */
    static final int KEEP_MAX = 64 * 1024;
    private static final int INITIAL = 4096;
    private static final byte[] ZEROS = new byte[4096];
    private static final ThreadLocal<Scratch> LOCAL = new ThreadLocal<>();

    private final ByteBuffer buf;
    private final long base;
    private int pos;
    private boolean open;

    private Scratch(int capacity) {
        buf = ByteBuffer.allocateDirect(capacity).order(ByteOrder.nativeOrder());
        base = Pointer.nativeValue(Native.getDirectBufferPointer(buf));
    }

    /** This thread's scratch with room for {@code inputBytes} bytes of inputs, slots zeroed. */
    static Scratch open(long inputBytes) {
        if (inputBytes > Integer.MAX_VALUE - SLOTS_BYTES - 64) {
            throw new IllegalArgumentException("input too large for one call: " + inputBytes + " bytes");
        }
        int need = (int) inputBytes + SLOTS_BYTES;
        Scratch s = LOCAL.get();
        if (s != null && s.open) {
            s = new Scratch(Math.max(need, 256)); // nested: never reuse a buffer in use
        } else if (s == null || s.buf.capacity() < need) {
            if (need > KEEP_MAX) {
                s = new Scratch(need); // one-off: dropped after this call
            } else {
                s = new Scratch(Math.min(KEEP_MAX, Math.max(INITIAL, need + (need >> 1))));
                LOCAL.set(s);
            }
        }
        s.pos = SLOTS_BYTES;
        s.open = true;
        for (int i = 0; i < SLOTS; i++) {
            s.buf.putLong(i * 8, 0L);
        }
        return s;
    }

    /** Address of out-parameter slot {@code i} (8 bytes, zeroed by {@link #open}). */
    long slot(int i) {
        return base + 8L * i;
    }

    /** The 8-byte value the library wrote into slot {@code i} (a pointer or a size_t). */
    long slotValue(int i) {
        return buf.getLong(8 * i);
    }

    /** The int32 the library wrote into slot {@code i}. */
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

    /** Reserves {@code n} bytes for an output and returns their address. */
    long reserve(int n) {
        long at = base + pos;
        pos += n;
        return at;
    }

    /** Copies {@code bytes} (may be null = none) in, followed by one NUL byte; returns nothing. */
    void putField(byte[] bytes) {
        if (bytes != null) {
            buf.put(pos, bytes, 0, bytes.length);
            pos += bytes.length;
        }
        buf.put(pos++, (byte) 0);
    }

    /** The address of the next byte {@link #put} or {@link #reserve} would use. */
    long next() {
        return base + pos;
    }

    /**
     * Declares that nothing at or after address {@code end} was written since {@link #open}
     * (e.g. the unused tail of a {@link #reserve}d output the library filled only partly), so
     * that {@link #close()} zeroes only what was.
     */
    void writtenUpTo(long end) {
        long p = end - base;
        if (p >= SLOTS_BYTES && p < pos) {
            pos = (int) p;
        }
    }

    /** UTF-8 text of {@code len} bytes at {@code addr} inside this buffer, read without a native call. */
    String textHere(long addr, long len) {
        long off = addr - base;
        if (len < 0 || off < SLOTS_BYTES || off + len > buf.capacity()) {
            throw new IllegalStateException("payauth returned an invalid length");
        }
        byte[] out = new byte[(int) len];
        buf.get((int) off, out, 0, out.length);
        return new String(out, StandardCharsets.UTF_8);
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

    // -- reading library-owned memory -------------------------------------------------------

    /** Copies {@code len} bytes at native address {@code addr}. */
    static byte[] read(long addr, long len) {
        if (len == 0) {
            return new byte[0];
        }
        if (addr == 0 || len < 0 || len > Integer.MAX_VALUE) {
            throw new IllegalStateException("payauth returned an invalid buffer");
        }
        byte[] out = new byte[(int) len];
        new Pointer(addr).read(0, out, 0, out.length);
        return out;
    }

    /** UTF-8 text of {@code len} bytes at {@code addr}. */
    static String text(long addr, long len) {
        return new String(read(addr, len), StandardCharsets.UTF_8);
    }

    /** A NUL-terminated UTF-8 string at {@code addr} ("" for NULL). */
    static String cString(long addr) {
        return addr == 0 ? "" : new Pointer(addr).getString(0, "UTF-8");
    }
}
