package io.payauth;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

/**
 * The C ABI of libpayauth through JNA direct mapping ({@link Native#register}).
 *
 * <p>Every pointer — handles, byte inputs and out-parameters — is passed as a {@code long}
 * native address, and {@code size_t} as {@code long}; the binding therefore requires a 64-bit
 * JVM (checked at load). Byte inputs and out-parameters live in a per-thread direct buffer
 * ({@link Scratch}) rather than in {@code byte[]} or {@code PointerByReference} arguments:
 * JNA copies a {@code byte[]} argument in and back out on every call and a
 * {@code PointerByReference} allocates native memory (about 1.4 µs each, measured), which would
 * dominate a signing call that costs well under a microsecond in the library.
 *
 * <p>Only this class, {@link Scratch}, {@link Packed} and {@link NativeHandle} touch raw addresses.
 */
final class NativeApi {
    /** The loaded library. */
    static final NativeLibrary LIBRARY;

    static {
        if (Native.POINTER_SIZE != 8 || Native.SIZE_T_SIZE != 8) {
            throw new UnsatisfiedLinkError("the payauth Java binding needs a 64-bit JVM");
        }
        LIBRARY = LibraryLocator.load();
        Native.register(NativeApi.class, LIBRARY);
    }

    private NativeApi() {}

    // -- versions, statuses, constants, errors ------------------------------------------------
    static native int payauth_version();
    static native long payauth_version_string();
    static native long payauth_status_str(int code);
    static native long payauth_status_name(int code);
    static native int payauth_constant(long name, long nameLen, long value, long err);
    static native long payauth_error_new();
    static native void payauth_error_free(long err);
    static native int payauth_error_code(long err);
    static native long payauth_error_message(long err);

    // -- signer -------------------------------------------------------------------------------
    static native int payauth_signer_new(long config, long configLen, long out, long err);
    static native void payauth_signer_free(long signer);
    static native long payauth_signer_profile(long signer);
    static native int payauth_signer_sign(long signer, long method, long methodLen, long path,
            long pathLen, long body, long bodyLen, long token, long tokenLen, long timestampMs,
            long extra, long extraLen, int flags, long out, long err);
    static native int payauth_signer_token_headers(long signer, long timestampMs, long extra,
            long extraLen, int flags, long out, long err);
    static native int payauth_signer_verify(long signer, long method, long methodLen, long path,
            long pathLen, long body, long bodyLen, long token, long tokenLen, long timestamp,
            long timestampLen, long signature, long signatureLen, long err);

    // -- client -------------------------------------------------------------------------------
    static native int payauth_client_new(long config, long configLen, long out, long err);
    static native void payauth_client_free(long client);
    static native int payauth_client_sign_request(long client, long method, long methodLen,
            long path, long pathLen, long body, long bodyLen, long timestampMs, long extra,
            long extraLen, int flags, long out, long err);
    static native int payauth_client_invalidate(long client, long token, long tokenLen,
            long evicted, long err);
    static native int payauth_client_stats(long client, long out, long outCap, long outLen,
            long err);

    // -- one crossing per request (see Packed) -------------------------------------------------
    static native int payauth_signer_sign_packed(long signer, long request, long requestLen,
            long timestampMs, long out, long outCap, long outLen, long err);
    static native int payauth_client_sign_packed(long client, long request, long requestLen,
            long timestampMs, long out, long outCap, long outLen, long err);

    // -- headers ------------------------------------------------------------------------------
    static native long payauth_headers_count(long h);
    static native int payauth_headers_get(long h, long index, long name, long nameLen,
            long value, long valueLen);
    static native long payauth_headers_explain_count(long h);
    static native int payauth_headers_explain_get(long h, long index, long name, long nameLen,
            long value, long valueLen);
    static native int payauth_headers_text(long h, long text, long len);
    static native void payauth_headers_free(long h);

    // -- primitives ---------------------------------------------------------------------------
    static native int payauth_hmac(int hash, int encoding, long key, long keyLen, long msg,
            long msgLen, long out, long outCap, long outLen, long err);
    static native int payauth_hmac_verify(int hash, int encoding, long key, long keyLen,
            long msg, long msgLen, long signature, long signatureLen, long err);
    static native int payauth_sha256_hex(long data, long dataLen, long out, long outCap,
            long outLen, long err);
    static native int payauth_rsa_sign(int hash, int encoding, long key, long keyLen, long msg,
            long msgLen, long out, long outCap, long outLen, long err);
    static native int payauth_json_minify(long json, long jsonLen, long out, long outCap,
            long outLen, long err);
}
