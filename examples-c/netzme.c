/* netzme.c: Netzme legacy toko/aggregator signature (profile "netzme"). A token is required.
 *
 *   Signature = hex(HMAC-SHA256(key = "{secret}-{timestamp}-Bearer {token}",
 *               msg = "path=…&method=…&token=Bearer …&timestamp=…&body=…")), Request-Time = ms.
 *
 * Build: gcc -std=c11 -Wall -Wextra -Iinclude examples-c/netzme.c -Ltarget/release -lpayauth
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

int main(void) {
    static const char config[] = "{\"profile\":\"netzme\",\"client_id\":\"TokoNetmeClientId\","
                                 "\"client_secret\":\"MaREaULkzAUTAFYg\"}";
    static const char token[] = "cafebface38fe374af5bcf7579a711658585012507d409eebb74f33fa4684711";
    static const char path[] = "/api/aggregator/merchant/qr/balance/detail?userId=M_pXAFWzCg";
    const int64_t timestamp_ms = 1615190625765; /* fixed for the example; 0 = now */

    int status = 1;
    int32_t rc;
    payauth_signer *signer = NULL;
    payauth_headers *headers = NULL;
    payauth_error *err = payauth_error_new();
    if (err == NULL) return 1;

    if (payauth_signer_new(config, strlen(config), &signer, err) != PAYAUTH_OK) {
        report("payauth_signer_new", err);
        goto done;
    }
    /* What a failure looks like: this scheme signs the token, so signing without one fails
     * with PAYAUTH_MISSING_TOKEN; `headers` stays NULL. */
    rc = payauth_signer_sign(signer, "GET", 3, path, strlen(path), NULL, 0, NULL, 0,
                             timestamp_ms, NULL, 0, 0, &headers, err);
    if (rc != PAYAUTH_MISSING_TOKEN) {
        fprintf(stderr, "expected PAYAUTH_MISSING_TOKEN, got %s\n", payauth_status_name(rc));
        goto done;
    }
    fprintf(stderr, "(expected) without a token: %s: %s\n", payauth_status_name(rc),
            payauth_error_message(err));

    /* The real call: path with its raw query exactly as sent, no body for a GET. */
    if (payauth_signer_sign(signer, "GET", 3, path, strlen(path), NULL, 0, token, strlen(token),
                            timestamp_ms, NULL, 0, 0, &headers, err) != PAYAUTH_OK) {
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
