package io.payauth;

import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

/**
 * The C ABI of libpayauth through JNA direct mapping ({@link Native#register}). JNA, not JNI:
 * measured, a JNA direct call costs ~150 ns against ~30 ns for JNI (the bench prints the no-op
 * crossing), while the library's own work per signature is 0.4–7 µs; JNI entry points would add
 * a second, JVM-specific export surface to a C library that every other language shares.
 *
 * <p>Every pointer is a {@code long} native address and {@code size_t} a {@code long} (a 64-bit
 * JVM is checked at load). Inputs and out-parameters live in a per-thread direct buffer
 * ({@link Scratch}). Only this class, {@link Scratch}, {@link Call} and {@link NativeHandle}
 * touch raw addresses.
 */
final class NativeApi {
    static final NativeLibrary LIBRARY;

    static {
        if (Native.POINTER_SIZE != 8 || Native.SIZE_T_SIZE != 8) {
            throw new UnsatisfiedLinkError("the payauth Java binding needs a 64-bit JVM");
        }
        LIBRARY = LibraryLocator.load();
        Native.register(NativeApi.class, LIBRARY);
    }

    private NativeApi() {}

    static native int payauth_version();
    static native long payauth_version_string();
    static native long payauth_status_str(int code);
    static native long payauth_status_name(int code);
    static native int payauth_status_group(int code);
    static native int payauth_constant(long name, long nameLen, long value, long err);
    static native long payauth_error_new();
    static native void payauth_error_free(long err);
    static native long payauth_error_message(long err);

    static native int payauth_signer_new(long config, long configLen, long out, long err);
    static native void payauth_signer_free(long signer);
    static native long payauth_signer_profile(long signer);
    static native int payauth_signer_verify(long signer, long method, long methodLen, long path,
            long pathLen, long body, long bodyLen, long token, long tokenLen, long timestamp,
            long timestampLen, long signature, long signatureLen, long err);
    static native int payauth_signer_verify_rsa(long signer, long message, long messageLen,
            long signature, long signatureLen, long err);
    static native int payauth_signer_verify_snap_rsa(long signer, long method, long methodLen,
            long path, long pathLen, long body, long bodyLen, long timestamp, long timestampLen,
            long signature, long signatureLen, long err);
    static native int payauth_signer_verify_jws(long signer, long jws, long jwsLen, long body,
            long bodyLen, long err);

    static native int payauth_client_new(long config, long configLen, long out, long err);
    static native void payauth_client_free(long client);
    static native long payauth_client_profile(long client);
    static native int payauth_client_invalidate(long client, long token, long tokenLen,
            long evicted, long err);
    static native int payauth_client_stats(long client, long out, long outCap, long outLen,
            long err);

    static native int payauth_signer_sign_packed(long signer, long request, long requestLen,
            long timestampMs, int flags, long out, long outCap, long outLen, long spill, long err);
    static native int payauth_client_sign_packed(long client, long request, long requestLen,
            long timestampMs, int flags, long out, long outCap, long outLen, long spill, long err);
    static native void payauth_spill_free(long spill, long len);

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
