/* paynet_reports.c: PayNet reports / merchant-profile signature (profile "paynet-reports").
 *
 *   X-Timestamp = unix seconds, X-Signature = hex(HMAC-SHA256(x_signature_secret, timestamp)),
 *   plus "Authorization: Bearer <token>" when you pass a token.
 *
 * Build: gcc -std=c11 -Wall -Wextra -Iinclude examples-c/paynet_reports.c \
 *            -Ltarget/release -lpayauth -o paynet_reports
 */
#include <stdio.h>
#include <string.h>

#include "payauth.h"

/* Prints every header in the order it must be sent. Values are (pointer, length) pairs that
 * stay valid until the headers object is freed. */
static void print_headers(const payauth_headers *h) {
    for (size_t i = 0; i < payauth_headers_count(h); i++) {
        const char *name, *value;
        size_t name_len, value_len;
        if (payauth_headers_get(h, i, &name, &name_len, &value, &value_len) == PAYAUTH_OK)
            printf("%.*s: %.*s\n", (int)name_len, name, (int)value_len, value);
    }
}

/* Reports a failed call: the status code, its name and the detailed message (never a secret). */
static void report(const char *what, const payauth_error *err) {
    int32_t code = payauth_error_code(err);
    fprintf(stderr, "%s failed: %s (%d): %s\n", what, payauth_status_name(code), (int)code,
            payauth_error_message(err));
}

int main(void) {
    /* In production read secrets from the environment: "client_secret_env": "PAYNET_SECRET". */
    static const char config[] = "{\"profile\":\"paynet-reports\","
                                 "\"client_id\":\"9e0e99f396e74838aeb583d1f06bc03d\","
                                 "\"client_secret\":\"my_client_secret\"}";
    static const char token[] = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJyZXBvcnRzIn0.c2ln";
    static const char path[] = "/v2/reports/query";
    const int64_t timestamp_ms = 1700000000000; /* fixed for the example; 0 = now */

    int status = 1;
    payauth_signer *signer = NULL;
    payauth_headers *headers = NULL;
    payauth_error *err = payauth_error_new();
    if (err == NULL) return 1;

    /* Build the signer once (keys are prepared here) and reuse it for every request. */
    if (payauth_signer_new(config, strlen(config), &signer, err) != PAYAUTH_OK) {
        report("payauth_signer_new", err);
        goto done;
    }
    /* The signature covers only the timestamp; method, path and body are not signed. */
    if (payauth_signer_sign(signer, "GET", 3, path, strlen(path), NULL, 0, token, strlen(token),
                            timestamp_ms, NULL, 0, 0, &headers, err) != PAYAUTH_OK) {
        report("payauth_signer_sign", err);
        goto done;
    }
    print_headers(headers);
    status = 0;

done:
    payauth_headers_free(headers); /* every _free accepts NULL */
    payauth_signer_free(signer);
    payauth_error_free(err);
    return status;
}
