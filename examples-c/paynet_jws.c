/* paynet_jws.c: PayNet RPP v3 / DuitNow Consent compact JWS (profile "paynet-jws").
 *
 *   Authorization: Bearer <header>.<claims>.<RS256 signature>, where the claims carry
 *   iss, iat, exp, optional key, jti = message id and ds = hex(SHA-256(body)).
 *
 * Usage: paynet_jws [PRIVATE_KEY_PEM]   (default: tests/vectors/keys/rsa2048-pkcs1.pem, TEST key)
 */
#include <stdio.h>
#include <string.h>

#include "payauth.h"

static void print_headers(const payauth_headers *h) {
    for (size_t i = 0; i < payauth_headers_count(h); i++) {
        const char *name, *value;
        size_t name_len, value_len;
        if (payauth_headers_get(h, i, &name, &name_len, &value, &value_len) == PAYAUTH_OK)
            printf("%.*s: %.*s\n", (int)name_len, name, (int)value_len, value);
    }
}

static void report(const char *what, const payauth_error *err) {
    int32_t code = payauth_error_code(err);
    fprintf(stderr, "%s failed: %s (%d): %s\n", what, payauth_status_name(code), (int)code,
            payauth_error_message(err));
}

int main(int argc, char **argv) {
    const char *key_path = argc > 1 ? argv[1] : "tests/vectors/keys/rsa2048-pkcs1.pem";
    static const char path[] = "/v3/admin/sign-off";
    static const char body[] = "{\"data\":{\"businessMessageId\":\"20230412BOEEMYK1000ORB00000001\","
                               "\"clientMessage\":\"Client hello\"}}";
    /* message_id is required: it becomes the jti claim and x-business-message-id. */
    static const char extra[] = "{\"message_id\":\"20230412BOEEMYK1000ORB00000001\"}";
    const int64_t timestamp_ms = 1700000000000; /* fixed for the example; 0 = now */

    int status = 1;
    char config[1024];
    int n;
    payauth_signer *signer = NULL;
    payauth_headers *headers = NULL;
    payauth_error *err = payauth_error_new();
    if (err == NULL) return 1;

    /* The key is read and parsed once, here; the path must not need JSON escaping. */
    if (strpbrk(key_path, "\"\\\n\r\t") != NULL) {
        fprintf(stderr, "unsupported characters in key path: %s\n", key_path);
        goto done;
    }
    n = snprintf(config, sizeof config,
                 "{\"profile\":\"paynet-jws\",\"client_id\":\"BOEEMYK1\","
                 "\"jws_key\":\"64feb830\",\"private_key_file\":\"%s\"}", key_path);
    if (n < 0 || (size_t)n >= sizeof config) goto done;

    if (payauth_signer_new(config, (size_t)n, &signer, err) != PAYAUTH_OK) {
        report("payauth_signer_new", err); /* e.g. PAYAUTH_KEY_TOO_SMALL for a 1024-bit key */
        goto done;
    }
    /* No access token: the JWS itself is the bearer credential. */
    if (payauth_signer_sign(signer, "POST", 4, path, strlen(path), body, strlen(body), NULL, 0,
                            timestamp_ms, extra, strlen(extra), 0, &headers, err) != PAYAUTH_OK) {
        report("payauth_signer_sign", err);
        goto done;
    }
    print_headers(headers);
    status = 0;

done:
    payauth_headers_free(headers);
    payauth_signer_free(signer);
    payauth_error_free(err);
    return status;
}
