/* minify.c: minify a JSON body, then sign exactly the minified bytes (profile "snap").
 *
 * SNAP signs hex(SHA-256(body)): the bytes you send must be the bytes you sign. Minify once,
 * sign the result and send the same buffer; never re-serialise the body after signing.
 */
#include <stdio.h>
#include <stdlib.h>
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
    static const char pretty[] = "{\n  \"partnerReferenceNo\": \"ORDER-001\",\n"
                                 "  \"amount\": { \"value\": \"10000.00\", \"currency\": \"IDR\" },\n"
                                 "  \"note\": \"kept  as is: caf\\u00e9\"\n}\n";
    static const char config[] = "{\"profile\":\"snap\",\"client_id\":\"TokoNetmeClientId\","
                                 "\"client_secret\":\"f013bc2810be469790dc99773c08812e\"}";
    static const char token[] = "gp9HjjEj813Y9JGoqwOeOPWbnt4CUpvIJbU1mMU4a11MNDZ7Sg5u9a";
    static const char path[] = "/api/v1.0/invoice/create";
    static const char extra[] = "{\"external_id\":\"12345678901234567890123456789012\"}";

    int status = 1;
    size_t body_len = 0;
    char *body = NULL;
    payauth_signer *signer = NULL;
    payauth_headers *headers = NULL;
    payauth_error *err = payauth_error_new();
    if (err == NULL) return 1;

    /* The output is never longer than the input, so json_len + 1 bytes always fit. (Or ask first:
     * out = NULL gives PAYAUTH_BUFFER_TOO_SMALL with the exact length in body_len.) */
    body = malloc(sizeof pretty);
    if (body == NULL) goto done;
    if (payauth_json_minify(pretty, strlen(pretty), body, sizeof pretty, &body_len, err) !=
        PAYAUTH_OK) {
        report("payauth_json_minify", err); /* PAYAUTH_JSON_INVALID for broken JSON */
        goto done;
    }
    printf("# body (%zu bytes): %.*s\n", body_len, (int)body_len, body);

    if (payauth_signer_new(config, strlen(config), &signer, err) != PAYAUTH_OK) {
        report("payauth_signer_new", err);
        goto done;
    }
    if (payauth_signer_sign(signer, "POST", 4, path, strlen(path), body, body_len, token,
                            strlen(token), 1717200000000, extra, strlen(extra), 0, &headers,
                            err) != PAYAUTH_OK) {
        report("payauth_signer_sign", err);
        goto done;
    }
    print_headers(headers);
    status = 0; /* now send exactly `body` (body_len bytes) with these headers */

done:
    payauth_headers_free(headers);
    payauth_signer_free(signer);
    payauth_error_free(err);
    free(body);
    return status;
}
