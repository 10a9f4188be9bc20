package io.payauth;

import java.nio.charset.StandardCharsets;

/**
 * Library-wide facts: version, named constants and status names, and where the native library
 * was loaded from. The cryptographic helpers are in {@link Primitives}; signing is done by
 * {@link Signer} (offline) and {@link Client} (with token fetching and caching).
 *
 * <p>All methods are thread-safe.
 */
public final class PayAuth {
    private PayAuth() {}

    /** The library version as {@code major * 10000 + minor * 100 + patch}. */
    public static int version() {
        return NativeApi.payauth_version();
    }

    /** The library version string, e.g. {@code "0.1.0"}. */
    public static String versionString() {
        return Scratch.cString(NativeApi.payauth_version_string());
    }

    /** The file the native library was loaded from (see the README for the lookup order). */
    public static String libraryPath() {
        java.io.File f = NativeApi.LIBRARY.getFile();
        return f != null ? f.getAbsolutePath() : NativeApi.LIBRARY.getName();
    }

    /**
     * A named constant of the C API ({@code payauth_constant}): status codes
     * ({@code "PAYAUTH_TIMEOUT"}…), status groups, {@code PAYAUTH_FLAG_*}, {@code PAYAUTH_HASH_*},
     * {@code PAYAUTH_ENCODING_*} and {@code PAYAUTH_VERSION*}.
     *
     * @throws PayAuthException {@code PAYAUTH_NOT_FOUND} for an unknown name,
     *     {@code PAYAUTH_NULL_ARGUMENT} for null
     */
    public static long constant(String name) throws PayAuthException {
        if (name == null) {
            throw new ArgumentException(100, "PAYAUTH_NULL_ARGUMENT", "`name` must not be null");
        }
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        try (Scratch s = Scratch.open(bytes.length)) {
            long at = s.put(bytes);
            int rc = NativeApi.payauth_constant(at, bytes.length, s.slot(0), s.err);
            if (rc != 0) {
                throw s.failure(rc);
            }
            return s.slotValue(0);
        }
    }

    /** The identifier of a status code, e.g. {@code "PAYAUTH_OK"} ({@code "PAYAUTH_UNKNOWN"} if unknown). */
    public static String statusName(int code) {
        return Scratch.cString(NativeApi.payauth_status_name(code));
    }

    /** The group of a status code ({@code PAYAUTH_GROUP_*}), -1 if unknown: the class a failure maps to. */
    public static int statusGroup(int code) {
        return NativeApi.payauth_status_group(code);
    }

    /** A one-line description of a status code. */
    public static String statusDescription(int code) {
        return Scratch.cString(NativeApi.payauth_status_str(code));
    }

    /** Prints the version and the library path: {@code java -cp payauth.jar:jna.jar io.payauth.PayAuth}. */
    public static void main(String[] args) {
        System.out.println("payauth " + versionString() + " (" + version() + ") from " + libraryPath());
    }
}
