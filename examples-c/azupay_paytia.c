/* azupay_paytia.c: the two API-key gateways (profiles "azupay" and "paytia").
 *
 *   Azupay: "Authorization: <api_key>" (raw, no scheme). Its HMAC scheme is unpublished, so the
 *   "hmac" object below is an EXAMPLE: every field must be set to what Azupay gives you.
 *   Paytia: "X-API-KEY: <api_key>" plus "ACCESS-TOKEN: <token>" when you have a token.
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

/* Builds a signer from `config`, signs one request and prints its headers. 0 on success. */
static int sign_one(const char *config, const char *method, const char *path, const char *token,
                    int64_t timestamp_ms, payauth_error *err) {
    payauth_signer *signer = NULL;
    payauth_headers *headers = NULL;
    int32_t rc = payauth_signer_new(config, strlen(config), &signer, err);
    if (rc == PAYAUTH_OK)
        rc = payauth_signer_sign(signer, method, strlen(method), path, strlen(path), NULL, 0,
                                 token, strlen(token), timestamp_ms, NULL, 0, 0, &headers, err);
    if (rc == PAYAUTH_OK)
        print_headers(headers);
    else
        fprintf(stderr, "%s failed: %s (%d): %s\n", payauth_signer_profile(signer),
                payauth_status_name(payauth_error_code(err)), (int)payauth_error_code(err),
                payauth_error_message(err));
    payauth_headers_free(headers);
    payauth_signer_free(signer);
    return rc == PAYAUTH_OK ? 0 : 1;
}

int main(void) {
    static const char azupay[] =
        "{\"profile\":\"azupay\",\"api_key\":\"SECR528792_c0e35aad_ckid445474d1d\","
        "\"hmac\":{\"secret\":\"HMAC_cdeijed78y3jdnjdfhjjnm\",\"hash\":\"sha256\","
        "\"key_encoding\":\"utf8\",\"output\":\"hex\","
        "\"template\":\"{method}\\n{path}\\n{query}\\n{timestamp}\\n{body_sha256}\","
        "\"timestamp_format\":\"unix_ms\",\"signature_header\":\"X-Azupay-Signature\","
        "\"timestamp_header\":\"X-Azupay-Timestamp\"}}";
    static const char paytia[] =
        "{\"profile\":\"paytia\",\"api_key\":\"pk_test_4f9c2b7e1a8d4c6b9e0f3a2d\"}";
    const int64_t timestamp_ms = 1717200000123; /* fixed for the example; 0 = now */
    int failures = 0;

    payauth_error *err = payauth_error_new();
    if (err == NULL) return 1;

    printf("# Azupay: GET payment request (api key, no OAuth2 token)\n");
    failures += sign_one(azupay, "GET", "/v1/paymentRequest?paymentRequestId=abc123", "",
                         timestamp_ms, err);
    printf("\n# Paytia: POST with an access token\n");
    failures += sign_one(paytia, "POST", "/api/payment_service",
                         "8b1f3c0e5d7a49c2a6e4b9d1f0c3e7a2", timestamp_ms, err);

    payauth_error_free(err);
    return failures == 0 ? 0 : 1;
}
