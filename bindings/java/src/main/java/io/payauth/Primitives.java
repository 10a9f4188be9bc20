package io.payauth;

import java.nio.charset.StandardCharsets;

/**
 * The library's building blocks, for schemes a profile does not cover: HMAC (and its
 * constant-time check), SHA-256, RSA PKCS#1 v1.5 signatures and JSON minification. All methods
 * are thread-safe; null inputs throw {@link PayAuthException} ({@code PAYAUTH_NULL_ARGUMENT}).
 */
public final class Primitives {
    private Primitives() {}

    /** A function writing into {@code (out, cap)} and the size slot, given an error object. */
    @FunctionalInterface
    private interface Output {
        int run(long out, long cap, long outLen, long err);
    }

    /** HMAC of {@code msg} under {@code key}, encoded. */
    public static String hmac(Hash hash, Encoding encoding, byte[] key, byte[] msg) throws PayAuthException {
        int h = nonNull(hash, "hash").code();
        int e = nonNull(encoding, "encoding").code();
        nonNull(key, "key");
        nonNull(msg, "msg");
        return output((long) key.length + msg.length, 160, s -> {
            long k = s.put(key), m = s.put(msg);
            return (out, cap, len, err) -> NativeApi.payauth_hmac(h, e, k, key.length, m, msg.length, out, cap, len, err);
        });
    }

    /**
     * Constant-time check that {@code signature} is the HMAC of {@code msg} under {@code key} in
     * {@code encoding} (hex compares case-insensitively).
     *
     * @return true on a match, false on a mismatch
     */
    public static boolean hmacVerify(Hash hash, Encoding encoding, byte[] key, byte[] msg, String signature)
            throws PayAuthException {
        int h = nonNull(hash, "hash").code();
        int e = nonNull(encoding, "encoding").code();
        nonNull(key, "key");
        nonNull(msg, "msg");
        byte[] sig = Errors.required(signature, "signature");
        try (Scratch s = Scratch.open((long) key.length + msg.length + sig.length)) {
            long k = s.put(key), m = s.put(msg), g = s.put(sig);
            Errors.Call call = err -> NativeApi.payauth_hmac_verify(h, e, k, key.length, m, msg.length, g, sig.length, err);
            int rc = call.run(0);
            if (rc == Errors.OK || rc == Errors.SIGNATURE_MISMATCH) {
                return rc == Errors.OK;
            }
            throw Errors.rerun(rc, call::run);
        }
    }

    /** Lowercase hex SHA-256 of {@code data}. */
    public static String sha256Hex(byte[] data) throws PayAuthException {
        nonNull(data, "data");
        return output(data.length, 65, s -> {
            long d = s.put(data);
            return (out, cap, len, err) -> NativeApi.payauth_sha256_hex(d, data.length, out, cap, len, err);
        });
    }

    /**
     * RSASSA-PKCS1-v1_5 signature of {@code msg} with a PEM (PKCS#1/PKCS#8) or base64 DER
     * private key of at least 2048 bits. The key is parsed on every call: to sign repeatedly,
     * use a {@link Signer}.
     */
    public static String rsaSign(Hash hash, Encoding encoding, String privateKey, byte[] msg) throws PayAuthException {
        int h = nonNull(hash, "hash").code();
        int e = nonNull(encoding, "encoding").code();
        byte[] key = Errors.required(privateKey, "privateKey");
        nonNull(msg, "msg");
        return output((long) key.length + msg.length, 1400, s -> {
            long k = s.put(key), m = s.put(msg);
            return (out, cap, len, err) -> NativeApi.payauth_rsa_sign(h, e, k, key.length, m, msg.length, out, cap, len, err);
        });
    }

    /**
     * Removes insignificant whitespace from JSON, keeping key order, numbers and string escapes
     * byte for byte.
     *
     * @throws PayAuthException {@code PAYAUTH_JSON_INVALID}
     */
    public static String jsonMinify(String json) throws PayAuthException {
        byte[] in = Errors.required(json, "json");
        return output(in.length, in.length + 1, s -> {
            long j = s.put(in);
            return (out, cap, len, err) -> NativeApi.payauth_json_minify(j, in.length, out, cap, len, err);
        });
    }

    /** Places the inputs and returns the call to make. */
    @FunctionalInterface
    private interface Setup {
        Output place(Scratch s);
    }

    /** Runs a size-query call: first with {@code guess} bytes of output, again if it needs more. */
    private static String output(long inputBytes, int guess, Setup setup) throws PayAuthException {
        int cap = guess;
        while (true) {
            final int size = cap;
            try (Scratch s = Scratch.open(inputBytes + size)) {
                Output call = setup.place(s);
                long out = s.reserve(size);
                int rc = call.run(out, size, s.slot(0), 0);
                long len = s.slotValue(0);
                if (rc == Errors.OK) {
                    return new String(Scratch.read(out, len), StandardCharsets.UTF_8);
                }
                if (rc != Errors.BUFFER_TOO_SMALL || len < size) {
                    throw Errors.rerun(rc, err -> call.run(out, size, s.slot(0), err));
                }
                if (len >= Integer.MAX_VALUE / 2) {
                    throw new PayAuthException(rc, PayAuth.statusName(rc), "output too large for Java: " + len);
                }
                cap = (int) len + 1;
            }
        }
    }

    private static <T> T nonNull(T value, String what) throws PayAuthException {
        if (value == null) {
            throw Errors.nullArgument(what);
        }
        return value;
    }

    static int constantCode(String name) {
        try {
            return (int) PayAuth.constant(name);
        } catch (PayAuthException e) {
            throw new IllegalStateException("libpayauth lacks " + name, e);
        }
    }
}
