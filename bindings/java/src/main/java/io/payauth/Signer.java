package io.payauth;

import java.lang.ref.Cleaner;

/**
 * Offline request signing for one gateway profile, built once from a JSON configuration
 * ({@code {"profile": "netzme", "client_id": …}}, see docs/profiles.md); also the token-request
 * headers and inbound verification. Thread-safe; close it when done (secrets wiped); use after
 * {@link #close()} throws {@link IllegalStateException}; an unclosed signer is freed by a
 * {@link Cleaner} once unreachable.
 *
 * <pre>{@code
 * try (Signer signer = new Signer(configJson)) {
 *     SignResult r = signer.sign("POST", "/v1/pay?x=1", body, token);
 *     for (Header h : r.headers()) request.setHeader(h.name(), h.value());
 *     byte[] send = r.body() != null ? r.body() : body;
 * }
 * }</pre>
 */
public final class Signer implements AutoCloseable {
    private final NativeHandle handle;
    private final Cleaner.Cleanable cleanable;

    /** @throws PayAuthException {@link ConfigException}, {@link SigningException} (a key), null config */
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

    /** Signs a request now, without per-request inputs or explain. */
    public SignResult sign(String method, String path, byte[] body, String token) throws PayAuthException {
        return sign(method, path, body, token, 0, Extras.NONE, false);
    }

    /**
     * Signs one outgoing request: every header the gateway needs, and {@link SignResult#body()}
     * when the bytes to send differ from {@code body} (a minified JSON body).
     *
     * @param path the path and raw query exactly as sent
     * @param body the exact body bytes, or null for none
     * @param token the access token, or null when the scheme signs none
     * @param timestampMs epoch milliseconds, 0 for now
     * @param extras the per-request inputs ({@link Extras#NONE} for none)
     * @throws PayAuthException {@link ArgumentException}, {@link SigningException} (e.g.
     *     {@code PAYAUTH_MISSING_TOKEN}, {@code PAYAUTH_MISSING_REQUEST_FIELD})
     */
    public SignResult sign(String method, String path, byte[] body, String token, long timestampMs, Extras extras,
            boolean explain) throws PayAuthException {
        byte[] m = Call.required(method, "method"), p = Call.required(path, "path");
        long h = handle.acquire();
        try {
            return Call.sign(h, false, m, p, body, Call.utf8(token), extras == null ? Extras.NONE : extras, timestampMs,
                    explain ? Call.EXPLAIN : 0);
        } finally {
            handle.release();
        }
    }

    /** The headers of the profile's token request, now. */
    public SignResult tokenHeaders() throws PayAuthException {
        return tokenHeaders(0, null, false);
    }

    /**
     * Headers of the profile's token request (SNAP's RSA {@code X-SIGNATURE}, Netzme legacy's
     * Basic authorization); {@code timestamp} may fix the timestamp text (or null).
     *
     * @throws PayAuthException {@code PAYAUTH_UNSUPPORTED} for profiles without such headers
     */
    public SignResult tokenHeaders(long timestampMs, String timestamp, boolean explain) throws PayAuthException {
        long h = handle.acquire();
        try {
            return Call.sign(h, false, null, null, null, null, Extras.NONE.timestamp(timestamp), timestampMs,
                    Call.TOKEN_REQUEST | (explain ? Call.EXPLAIN : 0));
        } finally {
            handle.release();
        }
    }

    /** A verification: its byte inputs in order, as (address, length) pairs for the call. */
    private interface Verify {
        int call(long h, long[] a, long err);
    }

    private boolean verify(Verify v, byte[]... inputs) throws PayAuthException {
        long size = 0;
        for (byte[] b : inputs) {
            size += b == null ? 0 : b.length;
        }
        long h = handle.acquire();
        try (Scratch s = Scratch.open(size)) {
            long[] a = new long[2 * inputs.length];
            for (int i = 0; i < inputs.length; i++) {
                a[2 * i] = s.put(inputs[i]);
                a[2 * i + 1] = inputs[i] == null ? 0 : inputs[i].length;
            }
            return Call.verified(s, v.call(h, a, s.err));
        } finally {
            handle.release();
        }
    }

    /**
     * An inbound request signed with the profile's HMAC scheme, checked in constant time;
     * {@code timestamp} and {@code signature} as received (the timestamp's age is your policy).
     *
     * @return true if valid, false if the signature does not match
     */
    public boolean verify(String method, String path, byte[] body, String token, String timestamp, String signature)
            throws PayAuthException {
        return verify((h, a, e) -> NativeApi.payauth_signer_verify(h, a[0], a[1], a[2], a[3], a[4], a[5], a[6], a[7], a[8],
                a[9], a[10], a[11], e), Call.required(method, "method"), Call.required(path, "path"), body,
                Call.utf8(token), Call.required(timestamp, "timestamp"), Call.required(signature, "signature"));
    }

    /** An RSA signature of {@code message} (PayNet DOBW {@code X-Signature}) under {@code gateway_public_key}. */
    public boolean verifyRsa(String message, String signature) throws PayAuthException {
        return verify((h, a, e) -> NativeApi.payauth_signer_verify_rsa(h, a[0], a[1], a[2], a[3], e),
                Call.required(message, "message"), Call.required(signature, "signature"));
    }

    /** A SNAP asymmetric signature (a notification) under {@code gateway_public_key}. */
    public boolean verifySnapRsa(String method, String path, byte[] body, String timestamp, String signature)
            throws PayAuthException {
        return verify((h, a, e) -> NativeApi.payauth_signer_verify_snap_rsa(h, a[0], a[1], a[2], a[3], a[4], a[5], a[6],
                a[7], a[8], a[9], e), Call.required(method, "method"), Call.required(path, "path"), body,
                Call.required(timestamp, "timestamp"), Call.required(signature, "signature"));
    }

    /** A PayNet JWS response signature and its {@code ds} over {@code body}, under {@code gateway_public_key}. */
    public boolean verifyJws(String jws, byte[] body) throws PayAuthException {
        return verify((h, a, e) -> NativeApi.payauth_signer_verify_jws(h, a[0], a[1], a[2], a[3], e),
                Call.required(jws, "jws"), body);
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
        return isClosed() ? "Signer[closed]" : "Signer[" + profile() + "]";
    }
}
