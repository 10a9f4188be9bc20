package io.payauth;

import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongConsumer;

/**
 * Owns one native object (a signer or a client) and frees it exactly once, after the last call
 * that is using it has returned — so that {@code close()} racing with other threads, a second
 * {@code close()}, or the {@link Cleaner} running while a call is still in the library can never
 * free memory that is in use.
 *
 * <p>The count is 1 for the owner plus 1 per call in flight. {@link #acquire} fails once the
 * owner has closed; the native free runs when the count reaches 0. This object is also the
 * Cleaner action, so it must not refer to its owner.
 */
final class NativeHandle implements Runnable {
    /** The one Cleaner thread of the binding (a safety net for handles never closed). */
    static final Cleaner CLEANER = Cleaner.create();

    private final long address;
    private final LongConsumer free;
    private final String what;
    private final AtomicInteger count = new AtomicInteger(1);
    private volatile boolean closed;

    /** A native constructor: {@code (config, config_len, out, err) -> status}. */
    @FunctionalInterface
    interface Constructor {
        int call(long config, long configLength, long out, long err);
    }

    /**
     * Builds a handle from a JSON configuration with {@code ctor} ({@code payauth_signer_new},
     * {@code payauth_client_new}); {@code free} releases it.
     */
    static NativeHandle fromConfig(String configJson, Constructor ctor, LongConsumer free, String what)
            throws PayAuthException {
        byte[] config = Call.required(configJson, "config");
        long address;
        try (Scratch s = Scratch.open(config.length)) {
            long at = s.put(config);
            int rc = ctor.call(at, config.length, s.slot(0), s.err);
            if (rc != 0) {
                throw s.failure(rc);
            }
            address = s.slotValue(0);
        }
        return new NativeHandle(address, free, what);
    }

    NativeHandle(long address, LongConsumer free, String what) {
        if (address == 0) {
            throw new IllegalStateException("payauth returned a NULL " + what);
        }
        this.address = address;
        this.free = free;
        this.what = what;
    }

    /** Marks one call in flight and returns the native address; pair with {@link #release}. */
    long acquire() {
        if (!closed) {
            for (int n = count.get(); n > 0; n = count.get()) {
                if (count.compareAndSet(n, n + 1)) {
                    return address;
                }
            }
        }
        throw new IllegalStateException("this " + what + " is closed");
    }

    /** Ends a call begun with {@link #acquire}. */
    void release() {
        if (count.decrementAndGet() == 0) {
            free.accept(address);
        }
    }

    /** Whether the owner has closed it. */
    boolean isClosed() {
        return closed;
    }

    /** Closes: the owner's {@code close()} and the Cleaner both come here; only the first counts. */
    @Override
    public void run() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        release();
    }
}
