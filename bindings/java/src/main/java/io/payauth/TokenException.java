package io.payauth;

/** A failure of the {@code token} status group: acquiring the access token (network, TLS, HTTP, the token response, backoff). */
public class TokenException extends PayAuthException {
    private static final long serialVersionUID = 1L;

    /** See {@link PayAuthException#PayAuthException(int, String, String)}. */
    public TokenException(int code, String statusName, String detail) {
        super(code, statusName, detail);
    }
}
