package io.payauth;

import java.lang.ref.Cleaner;

/**
 * Offline request signing for one gateway profile, built once from a JSON configuration
 * ({@code {"profile": "netzme", "client_id": …}}, see docs/profiles.md). Keys are parsed and
 * HMAC key schedules computed at construction.
 *
 * <p>Thread-safe: one signer may sign from any number of threads at once. Close it when done
 * (its secrets are wiped); using it after {@link #close()} throws
 * {@link IllegalStateException}, a second close does nothing, and a signer that is never closed
 * is freed by a {@link Cleaner} once unreachable.
 *
 * <pre>{@code
 * try (Signer signer = new Signer(configJson)) {
 *     SignResult r = signer.sign("POST", "/v1/pay?x=1", body, token);
 *     for (Header h : r.headers()) request.setHeader(h.name(), h.value());
 * }
 * }</pre>
 */
public final class Signer implements AutoCloseable {
    private final NativeHandle handle;
    private final Cleaner.Cleanable cleanable;

    /**
     * Builds a signer.
     *
     * @param configJson the JSON configuration
     * @throws PayAuthException {@code PAYAUTH_CONFIG_*}, {@code PAYAUTH_KEY_INVALID},
     *     {@code PAYAUTH_KEY_TOO_SMALL}, {@code PAYAUTH_NULL_ARGUMENT} (null config)…
     */
    public Signer(String configJson) throws PayAuthException {
        handle = NativeHandle.fromConfig(configJson, NativeApi::payauth_signer_new, NativeApi::payauth_signer_free, "Signer");
        cleanable = NativeHandle.CLEANER.register(this, handle);
    }

    /** The preset name, e.g. {@code "snap"}. */
    public String profile() {
        long h = handle.acquire();
        try {
            return Scratch.cString(NativeApi.payauth_signer_profile(h));
        } finally {
            handle.release();
        }
    }

    /** Signs a request with the current time, no per-request extras and no explain artifacts. */
    public SignResult sign(String method, String path, byte[] body, String token) throws PayAuthException {
        return sign(method, path, body, token, 0, null, false);
    }

    /**
     * Signs one outgoing request and returns every header the gateway needs.
     *
     * @param method the HTTP method, e.g. {@code "POST"}
     * @param path the path and raw query exactly as sent
     * @param body the exact body bytes sent, or null for none
     * @param token the access token, or null when the scheme needs none
     * @param timestampMs the request time in epoch milliseconds, 0 for now
     * @param extraJson per-request values as a JSON object ({@code timestamp},
     *     {@code external_id}, {@code message_id}, {@code fields}, {@code string_to_sign}), or null
     * @param explain whether to record the explain artifacts
     * @throws PayAuthException e.g. {@code PAYAUTH_MISSING_TOKEN},
     *     {@code PAYAUTH_MISSING_REQUEST_FIELD}, {@code PAYAUTH_INVALID_ARGUMENT}
     * @throws IllegalStateException if the signer is closed
     */
    public SignResult sign(String method, String path, byte[] body, String token, long timestampMs,
            String extraJson, boolean explain) throws PayAuthException {
        return sign(method, path, body, token, timestampMs, extraJson, explain, true);
    }

    /**
     * {@link #sign(String, String, byte[], String, long, String, boolean)} with the path chosen:
     * without explain (and unless a text argument holds a NUL byte) one packed crossing
     * ({@link Packed}); otherwise {@code payauth_signer_sign} and a {@code payauth_headers}
     * object, read and freed. {@code packed} false forces the object path (tests compare both).
     */
    SignResult sign(String method, String path, byte[] body, String token, long timestampMs,
            String extraJson, boolean explain, boolean packed) throws PayAuthException {
        byte[] m = Errors.required(method, "method");
        byte[] p = Errors.required(path, "path");
        byte[] t = Errors.optional(token);
        byte[] x = Errors.optional(extraJson);
        if (packed && !explain && Packed.packable(m, p, t, x)) {
            long h = handle.acquire();
            try {
                return Packed.sign(h, false, m, p, t, x, body, timestampMs);
            } finally {
                handle.release();
            }
        }
        int flags = explain ? Errors.FLAG_EXPLAIN : 0;
        long h = handle.acquire();
        try (Scratch s = Scratch.open((long) m.length + p.length + Errors.len(body) + Errors.len(t) + Errors.len(x))) {
            long ma = s.put(m), pa = s.put(p), ba = s.put(body), ta = s.put(t), xa = s.put(x);
            long bl = Errors.len(body), tl = Errors.len(t), xl = Errors.len(x);
            int rc = NativeApi.payauth_signer_sign(h, ma, m.length, pa, p.length, ba, bl, ta, tl, timestampMs,
                    xa, xl, flags, s.slot(0), 0);
            if (rc != Errors.OK) {
                PayAuthException e = Errors.rerun(rc, err -> NativeApi.payauth_signer_sign(h, ma, m.length, pa,
                        p.length, ba, bl, ta, tl, timestampMs, xa, xl, flags, s.slot(0), err));
                NativeApi.payauth_headers_free(s.slotValue(0)); // in case the second run succeeded
                throw e;
            }
            return readAndFree(s, explain);
        } finally {
            handle.release();
        }
    }

    /** The headers of the profile's token request, for the current time. */
    public SignResult tokenHeaders() throws PayAuthException {
        return tokenHeaders(0, null, false);
    }

    /**
     * Headers for the profile's token request: SNAP's RSA-signed {@code X-SIGNATURE} with
     * {@code X-TIMESTAMP} and {@code X-CLIENT-KEY}, or Netzme legacy's Basic authorization.
     *
     * @param timestampMs epoch milliseconds, 0 for now
     * @param extraJson null, or a JSON object that may carry {@code timestamp}
     * @param explain whether to record the explain artifacts
     * @throws PayAuthException {@code PAYAUTH_UNSUPPORTED} when the profile has no such headers…
     */
    public SignResult tokenHeaders(long timestampMs, String extraJson, boolean explain) throws PayAuthException {
        byte[] x = Errors.optional(extraJson);
        int flags = explain ? Errors.FLAG_EXPLAIN : 0;
        long h = handle.acquire();
        try (Scratch s = Scratch.open(Errors.len(x))) {
            long xa = s.put(x);
            long xl = Errors.len(x);
            int rc = NativeApi.payauth_signer_token_headers(h, timestampMs, xa, xl, flags, s.slot(0), 0);
            if (rc != Errors.OK) {
                PayAuthException e = Errors.rerun(rc,
                        err -> NativeApi.payauth_signer_token_headers(h, timestampMs, xa, xl, flags, s.slot(0), err));
                NativeApi.payauth_headers_free(s.slotValue(0));
                throw e;
            }
            return readAndFree(s, explain);
        } finally {
            handle.release();
        }
    }

    /**
     * Verifies an inbound request (callback, webhook) signed with the profile's HMAC scheme, in
     * constant time. Checking that the timestamp is recent is the caller's policy.
     *
     * @param timestamp the timestamp header exactly as received
     * @param signature the signature header as received
     * @return true if the signature matches, false if it does not
     * @throws PayAuthException {@code PAYAUTH_UNSUPPORTED} (no HMAC scheme), bad arguments…
     */
    public boolean verify(String method, String path, byte[] body, String token, String timestamp,
            String signature) throws PayAuthException {
        byte[] m = Errors.required(method, "method");
        byte[] p = Errors.required(path, "path");
        byte[] t = Errors.optional(token);
        byte[] ts = Errors.required(timestamp, "timestamp");
        byte[] sig = Errors.required(signature, "signature");
        long h = handle.acquire();
        try (Scratch s = Scratch.open((long) m.length + p.length + Errors.len(body) + Errors.len(t) + ts.length
                + sig.length)) {
            long ma = s.put(m), pa = s.put(p), ba = s.put(body), ta = s.put(t), tsa = s.put(ts), sa = s.put(sig);
            long bl = Errors.len(body), tl = Errors.len(t);
            Errors.Call call = err -> NativeApi.payauth_signer_verify(h, ma, m.length, pa, p.length, ba, bl, ta, tl,
                    tsa, ts.length, sa, sig.length, err);
            int rc = call.run(0);
            if (rc == Errors.OK || rc == Errors.SIGNATURE_MISMATCH) {
                return rc == Errors.OK;
            }
            throw Errors.rerun(rc, call::run);
        } finally {
            handle.release();
        }
    }

    /** Whether {@link #close()} has been called. */
    public boolean isClosed() {
        return handle.isClosed();
    }

    /** Frees the signer (wiping its secrets) once no call is using it. Idempotent. */
    @Override
    public void close() {
        cleanable.clean();
    }

    /** The profile only; never the configuration. */
    @Override
    public String toString() {
        try {
            return "Signer[" + profile() + "]";
        } catch (IllegalStateException closed) {
            return "Signer[closed]";
        }
    }

    /** Reads the headers object in slot 0 and frees it. */
    static SignResult readAndFree(Scratch s, boolean explain) {
        long headers = s.slotValue(0);
        try {
            return SignResult.read(headers, s, explain);
        } finally {
            NativeApi.payauth_headers_free(headers);
        }
    }
}
