package io.payauth;

import java.lang.ref.Cleaner;
import java.nio.charset.StandardCharsets;

/**
 * A gateway client: the profile's signer plus token acquisition and the shared token cache
 * (docs/caching.md). The configuration is the profile's fields plus {@code token_url},
 * {@code ca_file}, timeouts, {@code cache}… No request is made at construction. Thread-safe;
 * close it when done; an unclosed client is freed by a {@link Cleaner} once unreachable.
 */
public final class Client implements AutoCloseable {
    private final NativeHandle handle;
    private final Cleaner.Cleanable cleanable;

    /** @throws PayAuthException {@link ConfigException}, {@link SigningException} (a key), null config */
    public Client(String configJson) throws PayAuthException {
        handle = NativeHandle.fromConfig(configJson, NativeApi::payauth_client_new, NativeApi::payauth_client_free, "Client");
        cleanable = NativeHandle.CLEANER.register(this, handle);
    }

    /** The preset name, e.g. {@code "netzme"}. */
    public String profile() {
        long h = handle.acquire();
        try {
            return Scratch.cString(NativeApi.payauth_client_profile(h));
        } finally {
            handle.release();
        }
    }

    /** Signs a request now, without per-request inputs or explain. */
    public SignResult signRequest(String method, String path, byte[] body) throws PayAuthException {
        return signRequest(method, path, body, 0, Extras.NONE, false);
    }

    /**
     * Every header the gateway needs, with the access token (fetched when needed; a valid cached
     * token is always used). Arguments as for {@link Signer#sign} without the token. After a
     * 401: {@link #invalidate} the token sent, then sign again.
     *
     * @throws PayAuthException {@link TokenException} when no valid token can be had, else as
     *     {@link Signer#sign}
     */
    public SignResult signRequest(String method, String path, byte[] body, long timestampMs, Extras extras,
            boolean explain) throws PayAuthException {
        byte[] m = Call.required(method, "method"), p = Call.required(path, "path");
        long h = handle.acquire();
        try {
            return Call.sign(h, true, m, p, body, null, extras == null ? Extras.NONE : extras, timestampMs,
                    explain ? Call.EXPLAIN : 0);
        } finally {
            handle.release();
        }
    }

    /**
     * Evicts the cached token only if it is {@code token} (bare or {@code Bearer …}): one refresh
     * per burst of 401s.
     *
     * @return true if evicted, false if the cache had moved on
     */
    public boolean invalidate(String token) throws PayAuthException {
        byte[] t = Call.required(token, "token");
        long h = handle.acquire();
        try (Scratch s = Scratch.open(t.length)) {
            int rc = NativeApi.payauth_client_invalidate(h, s.put(t), t.length, s.slot(0), s.err);
            if (rc != 0) {
                throw s.failure(rc);
            }
            return s.slotInt(0) == 1;
        } finally {
            handle.release();
        }
    }

    /** The client's counters and states as JSON (docs/caching.md). */
    public String statsJson() throws PayAuthException {
        long h = handle.acquire();
        try (Scratch s = Scratch.open(Call.CAP)) {
            return new String(Call.output(s, (out, cap, len, err) -> NativeApi.payauth_client_stats(h, out, cap, len, err)),
                    StandardCharsets.UTF_8);
        } finally {
            handle.release();
        }
    }

    /** Whether {@link #close()} has been called. */
    public boolean isClosed() {
        return handle.isClosed();
    }

    /** Frees the client (secrets wiped, connections closed) once no call is using it. Idempotent. */
    @Override
    public void close() {
        cleanable.clean();
    }

    /** The profile only; never the configuration. */
    @Override
    public String toString() {
        return isClosed() ? "Client[closed]" : "Client[" + profile() + "]";
    }
}
