/* snap.c: SNAP BI (profile "snap"; "netzme-snap" is the same with hex signatures).
 *
 *   1. Service request: X-SIGNATURE = base64(HMAC-SHA512(client_secret,
 *      METHOD:path:token:hex(SHA-256(body)):timestamp)).
 *   2. B2B access-token request: X-SIGNATURE = base64(SHA256withRSA(private_key, client_id|ts)).
 *
 * Usage: snap [PRIVATE_KEY_PEM]   (default: tests/vectors/keys/rsa2048-pkcs1.pem, a TEST key)
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
    static const char token[] = "gp9HjjEj813Y9JGoqwOeOPWbnt4CUpvIJbU1mMU4a11MNDZ7Sg5u9a";
    static const char path[] = "/api/v1.0/invoice/create";
    static const char body[] = "{\"partnerReferenceNo\":\"ORDER-001\","
                               "\"amount\":{\"value\":\"10000.00\",\"currency\":\"IDR\"}}";
    /* Your own unique id per request (X-EXTERNAL-ID); omit it to get 32 random digits. */
    static const char extra[] = "{\"external_id\":\"12345678901234567890123456789012\"}";
    const int64_t timestamp_ms = 1717200000000; /* fixed for the example; 0 = now */

    int status = 1;
    char config[1024];
    int n;
    payauth_signer *signer = NULL;
    payauth_headers *headers = NULL;
    payauth_error *err = payauth_error_new();
    if (err == NULL) return 1;

    /* The library reads the key file itself ("private_key_file"), so the PEM never passes
     * through this program. The path goes into a JSON string: refuse what would need escaping. */
    if (strpbrk(key_path, "\"\\\n\r\t") != NULL) {
        fprintf(stderr, "unsupported characters in key path: %s\n", key_path);
        goto done;
    }
    n = snprintf(config, sizeof config,
                 "{\"profile\":\"snap\",\"client_id\":\"TokoNetmeClientId\","
                 "\"client_secret\":\"f013bc2810be469790dc99773c08812e\","
                 "\"private_key_file\":\"%s\"}", key_path);
    if (n < 0 || (size_t)n >= sizeof config) goto done;

    if (payauth_signer_new(config, (size_t)n, &signer, err) != PAYAUTH_OK) {
        report("payauth_signer_new", err); /* e.g. PAYAUTH_CONFIG_SECRET_SOURCE: unreadable */
        goto done;
    }
    printf("# service request: POST %s\n", path);
    if (payauth_signer_sign(signer, "POST", 4, path, strlen(path), body, strlen(body), token,
                            strlen(token), timestamp_ms, extra, strlen(extra), 0, &headers,
                            err) != PAYAUTH_OK) {
        report("payauth_signer_sign", err);
        goto done;
    }
    print_headers(headers);
    payauth_headers_free(headers);
    headers = NULL;

    printf("\n# B2B access-token request\n");
    if (payauth_signer_token_headers(signer, timestamp_ms, NULL, 0, 0, &headers, err) !=
        PAYAUTH_OK) {
        report("payauth_signer_token_headers", err);
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
