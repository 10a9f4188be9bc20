package io.payauth;

/**
 * The hot path of {@link Signer#sign} and {@link Client#signRequest} without explain: one
 * native crossing per request through {@code payauth_signer_sign_packed} /
 * {@code payauth_client_sign_packed} (8 arguments) instead of {@code payauth_*_sign*} (13–15
 * arguments) + {@code payauth_headers_text} + {@code payauth_headers_free}.
 *
 * <p>Request, in this thread's {@link Scratch}: {@code METHOD \0 PATH \0 TOKEN \0 EXTRA \0 BODY}
 * (the body is the rest and may hold NULs). Output: every header as {@code Name: value\r\n},
 * NUL-terminated, written by the library into a buffer reserved right after the request in the
 * same scratch, and decoded from there without another crossing. When the library answers
 * {@code PAYAUTH_BUFFER_TOO_SMALL} with the size it needs, the call is made again with that room
 * (it signs again: a new timestamp or id unless the caller fixed them).
 *
 * <p>A method, path, token or extra JSON that itself contains a NUL byte cannot be packed; the
 * callers send such a request through the object path, which reports it exactly as before.
 */
final class Packed {
    /** Output room of the first try: 4 KiB fits every preset's headers. */
    static final int INITIAL_OUT = 4096;
    /** Test hook: the first try's output room (tests shrink it to exercise the growth path). */
    static volatile int firstOut = INITIAL_OUT;
    /** Tries before giving up on a result that keeps growing (it never should). */
    private static final int TRIES = 4;

    private Packed() {}

    /** Whether none of the separated fields contains a NUL byte. */
    static boolean packable(byte[] method, byte[] path, byte[] token, byte[] extra) {
        return noNul(method) && noNul(path) && noNul(token) && noNul(extra);
    }

    private static boolean noNul(byte[] b) {
        if (b != null) {
            for (byte x : b) {
                if (x == 0) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * Signs one request through the packed call of a live signer ({@code client} false; errors
     * fetched by re-running the deterministic call with an error object) or client ({@code client}
     * true; always with an error object, since a client call may fetch a token). The caller holds
     * {@code handle} acquired.
     */
    static SignResult sign(long handle, boolean client, byte[] method, byte[] path, byte[] token, byte[] extra,
            byte[] body, long timestampMs) throws PayAuthException {
        long requestLen = 4L + method.length + path.length + Errors.len(token) + Errors.len(extra) + Errors.len(body);
        int cap = Math.max(1, firstOut);
        for (int attempt = 1; ; attempt++) {
            final int room = cap;
            try (Scratch s = Scratch.open(requestLen + room)) {
                long request = s.next();
                s.putField(method);
                s.putField(path);
                s.putField(token);
                s.putField(extra);
                s.put(body);
                long out = s.reserve(room);
                long outLen = s.slot(0);
                long err = client ? NativeApi.payauth_error_new() : 0;
                try {
                    int rc = call(client, handle, request, requestLen, timestampMs, out, room, outLen, err);
                    long need = s.slotValue(0);
                    if (rc == Errors.OK) {
                        if (need < 0 || need >= room) {
                            throw new IllegalStateException("payauth reported " + need + " bytes written into " + room);
                        }
                        s.writtenUpTo(out + need + 1); // close() zeroes the headers (tokens) and no more
                        return SignResult.ofBlock(s.textHere(out, need));
                    }
                    if (rc == Errors.BUFFER_TOO_SMALL && need >= room && need < Integer.MAX_VALUE - 4096
                            && attempt < TRIES) {
                        cap = (int) need + 1 + (attempt == 1 ? 0 : 256); // + slack if it grew again
                        continue;
                    }
                    if (client) {
                        throw Errors.exception(rc, err);
                    }
                    throw Errors.rerun(rc, e -> call(false, handle, request, requestLen, timestampMs, out, room,
                            outLen, e));
                } finally {
                    if (client) {
                        NativeApi.payauth_error_free(err);
                    }
                }
            }
        }
    }

    private static int call(boolean client, long handle, long request, long requestLen, long timestampMs, long out,
            long outCap, long outLen, long err) {
        return client
                ? NativeApi.payauth_client_sign_packed(handle, request, requestLen, timestampMs, out, outCap, outLen, err)
                : NativeApi.payauth_signer_sign_packed(handle, request, requestLen, timestampMs, out, outCap, outLen, err);
    }
}
