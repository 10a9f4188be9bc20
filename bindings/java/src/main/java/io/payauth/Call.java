package io.payauth;

import java.nio.charset.StandardCharsets;

/**
 * The one signing path: the request packed into this thread's {@link Scratch} (format: the doc
 * of {@code payauth_signer_sign_packed} in payauth.h), one crossing, the result decoded from the
 * same buffer; a result larger than {@value #CAP} bytes comes back in a library-owned spill
 * buffer, copied and freed — nothing is ever signed twice.
 */
final class Call {
    static final int CAP = 4096;
    static final int EXPLAIN = 1;
    static final int TOKEN_REQUEST = 2;

    private Call() {}

    static byte[] utf8(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] required(String value, String what) throws PayAuthException {
        if (value == null) {
            throw PayAuthException.of(NULL_ARG, "`" + what + "` must not be null");
        }
        return value.getBytes(StandardCharsets.UTF_8);
    }

    static final int NULL_ARG = status("PAYAUTH_NULL_ARGUMENT");
    private static final int BUFFER_TOO_SMALL = status("PAYAUTH_BUFFER_TOO_SMALL");
    private static final int SIGNATURE_MISMATCH = status("PAYAUTH_SIGNATURE_MISMATCH");

    private static int status(String name) {
        try {
            return (int) PayAuth.constant(name);
        } catch (PayAuthException e) {
            throw new UnsatisfiedLinkError("libpayauth lacks the constant " + name);
        }
    }

    /** Signs through {@code payauth_signer_sign_packed} ({@code client} false) or the client's twin. */
    static SignResult sign(long handle, boolean client, byte[] m, byte[] p, byte[] b, byte[] t, Extras x, long ts,
            int flags) throws PayAuthException {
        byte[][] f = x == Extras.NONE ? new byte[][] {m, p, b, t}
                : new byte[][] {m, p, b, t, utf8(x.timestamp), utf8(x.externalId), utf8(x.messageId), utf8(x.stringToSign)};
        long len = 4 + 4L * f.length;
        for (byte[] a : f) {
            len += a == null ? 0 : a.length;
        }
        try (Scratch s = Scratch.open(len + CAP)) {
            long req = s.next();
            s.putInt(f.length);
            for (byte[] a : f) {
                s.putInt(a == null ? -1 : a.length);
            }
            for (byte[] a : f) {
                s.put(a);
            }
            long out = s.reserve(CAP);
            int rc = client
                    ? NativeApi.payauth_client_sign_packed(handle, req, len, ts, flags, out, CAP, s.slot(0), s.slot(1), s.err)
                    : NativeApi.payauth_signer_sign_packed(handle, req, len, ts, flags, out, CAP, s.slot(0), s.slot(1), s.err);
            if (rc != 0) {
                throw s.failure(rc);
            }
            long n = s.slotValue(0);
            if (n <= CAP) {
                s.usedUpTo(out + n);
                return SignResult.decode(s.bytesHere(out, (int) n));
            }
            s.usedUpTo(out);
            long spill = s.slotValue(1);
            try {
                return SignResult.decode(Scratch.read(spill, n));
            } finally {
                NativeApi.payauth_spill_free(spill, n);
            }
        }
    }

    /** A call that writes into a caller buffer ({@code out, out_cap, out_len, err}), nothing signed. */
    interface Output {
        int call(long out, long cap, long outLen, long err);
    }

    /** Runs {@code o} into room reserved in {@code s}; retries once with the size the library reports. */
    static byte[] output(Scratch s, Output o) throws PayAuthException {
        long out = s.reserve(CAP);
        int rc = o.call(out, CAP, s.slot(7), s.err);
        if (rc == BUFFER_TOO_SMALL) {
            long need = s.slotValue(7) + 1;
            try (Scratch big = Scratch.open(need)) {
                long at = big.reserve((int) need);
                rc = o.call(at, need, big.slot(7), s.err);
                if (rc == 0) {
                    return big.bytesHere(at, (int) big.slotValue(7));
                }
            }
        }
        if (rc != 0) {
            throw s.failure(rc);
        }
        return s.bytesHere(out, (int) s.slotValue(7));
    }

    /** A verification call: true valid, false mismatch, else the library's exception. */
    static boolean verified(Scratch s, int rc) throws PayAuthException {
        if (rc == 0 || rc == SIGNATURE_MISMATCH) {
            return rc == 0;
        }
        throw s.failure(rc);
    }
}
