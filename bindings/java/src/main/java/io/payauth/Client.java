package io.payauth;

import java.lang.ref.Cleaner;
import java.nio.charset.StandardCharsets;

/**
 * A gateway client: a {@link Signer} plus access-token fetching and caching. Built from a JSON
 * configuration — the profile's fields plus {@code token_url}, {@code ca_file},
 * {@code timeout_ms}, {@code cache}… (see docs/profiles.md and payauth.h). No request is made
 * at construction.
 *
 * <p>Thread-safe: share one client between all threads; concurrent callers wait for a single
 * token fetch. Close it when done; using it after {@link #close()} throws
 * {@link IllegalStateException}, a second close does nothing, and an unclosed client is freed
 * by a {@link Cleaner} once unreachable.
 *
 * <pre>{@code
 * try (Client client = new Client(configJson)) {
 *     SignResult r = client.signRequest("GET", "/v1/balance?id=7", null);
 *     // send with r.headers(); after a 401: client.invalidate(r.header("Authorization")) and sign again
 * }
 * }</pre>
 */
public final class Client implements AutoCloseable {
    private final NativeHandle handle;
    private final Cleaner.Cleanable cleanable;

    /**
     * Builds a client.
     *
     * @param configJson the JSON configuration
     * @throws PayAuthException {@code PAYAUTH_CONFIG_*}, {@code PAYAUTH_KEY_*},
     *     {@code PAYAUTH_NULL_ARGUMENT} (null config)…
     */
    public Client(String configJson) throws PayAuthException {
        handle = NativeHandle.fromConfig(configJson, NativeApi::payauth_client_new, NativeApi::payauth_client_free, "Client");
        cleanable = NativeHandle.CLEANER.register(this, handle);
    }

    /** Signs a request at the current time, with no per-request extras. */
    public SignResult signRequest(String method, String path, byte[] body) throws PayAuthException {
        return signRequest(method, path, body, 0, null, false);
    }

    /**
     * Every header the gateway needs for one request: the access token (fetched or refreshed
     * when needed), the signature, ids and timestamps.
     *
     * @param method the HTTP method
     * @param path the path and raw query exactly as sent
     * @param body the exact body bytes, or null for none
     * @param timestampMs epoch milliseconds, 0 for now
     * @param extraJson per-request values as a JSON object, or null
     * @param explain whether to record the explain artifacts
     * @throws PayAuthException the signing statuses and the token statuses
     *     ({@code PAYAUTH_NETWORK}, {@code PAYAUTH_TIMEOUT}, {@code PAYAUTH_TLS},
     *     {@code PAYAUTH_HTTP_STATUS}, {@code PAYAUTH_CREDENTIALS_REJECTED},
     *     {@code PAYAUTH_BACKOFF}…)
     * @throws IllegalStateException if the client is closed
     */
    public SignResult signRequest(String method, String path, byte[] body, long timestampMs, String extraJson,
            boolean explain) throws PayAuthException {
        return signRequest(method, path, body, timestampMs, extraJson, explain, true);
    }

    /**
     * {@link #signRequest(String, String, byte[], long, String, boolean)} with the path chosen:
     * without explain (and unless a text argument holds a NUL byte) one packed crossing
     * ({@link Packed}); otherwise {@code payauth_client_sign_request} and a headers object.
     * {@code packed} false forces the object path (tests compare both).
     */
    SignResult signRequest(String method, String path, byte[] body, long timestampMs, String extraJson,
            boolean explain, boolean packed) throws PayAuthException {
        byte[] m = Errors.required(method, "method");
        byte[] p = Errors.required(path, "path");
        byte[] x = Errors.optional(extraJson);
        if (packed && !explain && Packed.packable(m, p, null, x)) {
            long c = handle.acquire();
            try {
                return Packed.sign(c, true, m, p, null, x, body, timestampMs);
            } finally {
                handle.release();
            }
        }
        int flags = explain ? Errors.FLAG_EXPLAIN : 0;
        long c = handle.acquire();
        try (Scratch s = Scratch.open((long) m.length + p.length + Errors.len(body) + Errors.len(x))) {
            long ma = s.put(m), pa = s.put(p), ba = s.put(body), xa = s.put(x);
            long bl = Errors.len(body), xl = Errors.len(x);
            Errors.withError(err -> NativeApi.payauth_client_sign_request(c, ma, m.length, pa, p.length, ba, bl,
                    timestampMs, xa, xl, flags, s.slot(0), err));
            return Signer.readAndFree(s, explain);
        } finally {
            handle.release();
        }
    }

    /**
     * After the gateway answered 401: evicts the cached token if it is still {@code token} (the
     * bare token or the {@code Bearer …} value sent), so that a burst of 401s for one token
     * causes one refresh. Then sign the request again.
     *
     * @return true if this call evicted the token, false if the cache had already moved on
     * @throws PayAuthException {@code PAYAUTH_INVALID_ARGUMENT} for an empty token,
     *     {@code PAYAUTH_NULL_ARGUMENT} for null
     */
    public boolean invalidate(String token) throws PayAuthException {
        byte[] t = Errors.required(token, "token");
        long c = handle.acquire();
        try (Scratch s = Scratch.open(t.length)) {
            long ta = s.put(t);
            Errors.withError(err -> NativeApi.payauth_client_invalidate(c, ta, t.length, s.slot(0), err));
            return s.slotInt(0) != 0;
        } finally {
            handle.release();
        }
    }

    /**
     * The client's counters as a JSON object ({@code hits}, {@code fetches}, {@code refreshes},
     * {@code failures}, {@code stale_served}, {@code waits}, {@code invalidations},
     * {@code backoff_refusals}, {@code last_http_status}).
     */
    public String statsJson() throws PayAuthException {
        long c = handle.acquire();
        try {
            int cap = 1024;
            while (true) {
                final int size = cap;
                try (Scratch s = Scratch.open(size)) {
                    long out = s.reserve(size);
                    int rc = NativeApi.payauth_client_stats(c, out, size, s.slot(0), 0);
                    long len = s.slotValue(0);
                    if (rc == Errors.OK) {
                        return new String(Scratch.read(out, len), StandardCharsets.UTF_8);
                    }
                    if (rc != Errors.BUFFER_TOO_SMALL || len < size) {
                        throw Errors.rerun(rc, err -> NativeApi.payauth_client_stats(c, out, size, s.slot(0), err));
                    }
                    cap = (int) Math.min(Integer.MAX_VALUE / 2, len + 1);
                }
            }
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

    /** Never shows the configuration or a token. */
    @Override
    public String toString() {
        return isClosed() ? "Client[closed]" : "Client[open]";
    }
}
