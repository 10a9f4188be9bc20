package io.payauth;

/**
 * Per-request inputs some schemes need, typed: {@code timestamp} (the exact timestamp text),
 * {@code externalId} (SNAP X-EXTERNAL-ID, 1 to 36 digits), {@code messageId} (PayNet JWS /
 * DuitNow), {@code stringToSign} (PayNet DOBW: the text, or its fields concatenated). Immutable:
 * {@code Extras.NONE.externalId("42").timestamp("2024-01-01T10:00:00+07:00")}.
 */
public final class Extras {
    /** No per-request inputs. */
    public static final Extras NONE = new Extras(null, null, null, null);

    final String timestamp;
    final String externalId;
    final String messageId;
    final String stringToSign;

    private Extras(String timestamp, String externalId, String messageId, String stringToSign) {
        this.timestamp = timestamp;
        this.externalId = externalId;
        this.messageId = messageId;
        this.stringToSign = stringToSign;
    }

    /** With the exact timestamp text (instead of the formatted request time). */
    public Extras timestamp(String value) {
        return new Extras(value, externalId, messageId, stringToSign);
    }

    /** With SNAP's X-EXTERNAL-ID (default: a random 32-digit id). */
    public Extras externalId(String value) {
        return new Extras(timestamp, value, messageId, stringToSign);
    }

    /** With the PayNet JWS {@code jti} / {@code x-business-message-id}. */
    public Extras messageId(String value) {
        return new Extras(timestamp, externalId, value, stringToSign);
    }

    /** With PayNet DOBW's string to sign: the text, or its fields (concatenated). */
    public Extras stringToSign(String... fields) {
        return new Extras(timestamp, externalId, messageId, fields == null ? null : String.join("", fields));
    }
}
