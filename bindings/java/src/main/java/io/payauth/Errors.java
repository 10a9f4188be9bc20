package io.payauth;

import java.nio.charset.StandardCharsets;
import java.util.function.LongToIntFunction;

/**
 * Turns library statuses into {@link PayAuthException}s, and holds the few status and flag
 * values the binding needs, looked up once through {@code payauth_constant} (never hard-coded;
 * only "0 = OK" is fixed by the ABI).
 *
 * <p>Two ways to get a failure's detailed message:
 * <ul>
 *   <li>{@link #withError}: a {@code payauth_error} allocated and freed around the call — used by
 *       calls with side effects (the client fetches tokens);
 *   <li>{@link #rerun}: deterministic, side-effect-free calls (signer, primitives) are made with a
 *       NULL error object, and only when one fails is it made again with an error object to
 *       obtain the message. That keeps two native crossings off every successful signature.
 * </ul>
 */
final class Errors {
    static final int OK = 0;
    static final int NULL_ARGUMENT = lookup("PAYAUTH_NULL_ARGUMENT");
    static final int BUFFER_TOO_SMALL = lookup("PAYAUTH_BUFFER_TOO_SMALL");
    static final int SIGNATURE_MISMATCH = lookup("PAYAUTH_SIGNATURE_MISMATCH");
    static final int INVALID_ARGUMENT = lookup("PAYAUTH_INVALID_ARGUMENT");
    static final int FLAG_EXPLAIN = lookup("PAYAUTH_FLAG_EXPLAIN");

    private Errors() {}

    /** A library call taking an error object (0 = none) and returning a status. */
    @FunctionalInterface
    interface Call {
        int run(long err);
    }

    /** Runs {@code call} with a fresh error object, freed afterwards; throws on a non-zero status. */
    static void withError(Call call) throws PayAuthException {
        long err = NativeApi.payauth_error_new(); // NULL only if allocation fails: then no message
        try {
            int rc = call.run(err);
            if (rc != OK) {
                throw exception(rc, err);
            }
        } finally {
            NativeApi.payauth_error_free(err);
        }
    }

    /**
     * The exception for a deterministic call that returned {@code rc} without an error object:
     * runs it once more with one to read the message.
     */
    static PayAuthException rerun(int rc, LongToIntFunction call) {
        long err = NativeApi.payauth_error_new();
        try {
            int again = call.applyAsInt(err);
            return again == rc ? exception(rc, err) : exception(rc, 0);
        } finally {
            NativeApi.payauth_error_free(err);
        }
    }

    /** The exception for status {@code rc}, with the message of {@code err} when it holds one. */
    static PayAuthException exception(int rc, long err) {
        String detail = "";
        if (err != 0 && NativeApi.payauth_error_code(err) == rc) {
            detail = Scratch.cString(NativeApi.payauth_error_message(err));
        }
        if (detail.isEmpty()) {
            detail = PayAuth.statusDescription(rc);
        }
        return new PayAuthException(rc, PayAuth.statusName(rc), detail);
    }

    /** A Java-side check: a required argument was null. */
    static PayAuthException nullArgument(String what) {
        return new PayAuthException(NULL_ARGUMENT, PayAuth.statusName(NULL_ARGUMENT), "`" + what + "` must not be null");
    }

    /** UTF-8 bytes of a required text argument. */
    static byte[] required(String value, String what) throws PayAuthException {
        if (value == null) {
            throw nullArgument(what);
        }
        return value.getBytes(StandardCharsets.UTF_8);
    }

    /** UTF-8 bytes of an optional text argument (null stays null = none). */
    static byte[] optional(String value) {
        return value == null ? null : value.getBytes(StandardCharsets.UTF_8);
    }

    /** Length of an optional byte input (0 for null). */
    static long len(byte[] b) {
        return b == null ? 0 : b.length;
    }

    private static int lookup(String name) {
        try {
            return (int) PayAuth.constant(name);
        } catch (PayAuthException e) {
            throw new UnsatisfiedLinkError("libpayauth lacks the constant " + name + ": " + e.getMessage());
        }
    }
}
