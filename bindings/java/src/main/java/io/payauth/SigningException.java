package io.payauth;

/** A failure of the {@code signing} status group: keys, signatures and per-request inputs. */
public class SigningException extends PayAuthException {
    private static final long serialVersionUID = 1L;

    /** See {@link PayAuthException#PayAuthException(int, String, String)}. */
    public SigningException(int code, String statusName, String detail) {
        super(code, statusName, detail);
    }
}
