/* cross.c: the C side of the cross-language check (scripts/cross-check.sh).
 *
 * Usage: cross CASES.json   with {"cases":[{"op":"sign","config":{…},"method":"POST","path":"/x",
 *          "body":"…","token":"…","time_ms":1700000000000,"extra":{…}}, …]}
 * op is sign, token_headers, verify (+ "timestamp", "signature"), verify_rsa ("message",
 * "signature"), verify_snap_rsa ("method", "path", "body", "timestamp", "signature") or
 * verify_jws ("jws", "body"). For each case it prints every header as "Name: value" (sign and
 * token_headers that succeed, in the library's order), then "= body: <bytes>" when the result
 * has a body to send, then "= status: PAYAUTH_…" (the outcome: PAYAUTH_OK, a verification's
 * PAYAUTH_SIGNATURE_MISMATCH, a refusal's status), then an empty line. A file that cannot be
 * read: message on stderr, exit 1. bindings/<lang>/cross prints the same for the same file.
 */
#define _POSIX_C_SOURCE 200809L

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "payauth.h"

static char *slurp(const char *path) {
    FILE *f = fopen(path, "rb");
    if (f == NULL) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    if (buf != NULL && fread(buf, 1, (size_t)n, f) == (size_t)n) {
        buf[n] = '\0';
    } else {
        free(buf);
        buf = NULL;
    }
    fclose(f);
    return buf;
}

static const char *str(const cJSON *obj, const char *key) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsString(v) ? v->valuestring : "";
}

#define S(key) str(c, key), strlen(str(c, key))

/* Runs one case with `s`; prints headers and body on success; returns the status. */
static int32_t run(const cJSON *c, const payauth_signer *s, payauth_error *err) {
    const char *op = str(c, "op");
    int64_t time_ms = (int64_t)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(c, "time_ms"));
    const cJSON *extra_json = cJSON_GetObjectItemCaseSensitive(c, "extra");
    char *extra = cJSON_IsObject(extra_json) ? cJSON_PrintUnformatted(extra_json) : NULL;
    size_t extra_len = extra == NULL ? 0 : strlen(extra);
    payauth_headers *h = NULL;
    int32_t rc;
    if (strcmp(op, "sign") == 0) {
        rc = payauth_signer_sign(s, S("method"), S("path"), S("body"), S("token"), time_ms, extra, extra_len, 0,
                                 &h, err);
    } else if (strcmp(op, "token_headers") == 0) {
        rc = payauth_signer_token_headers(s, time_ms, extra, extra_len, 0, &h, err);
    } else if (strcmp(op, "verify") == 0) {
        rc = payauth_signer_verify(s, S("method"), S("path"), S("body"), S("token"), S("timestamp"), S("signature"),
                                   err);
    } else if (strcmp(op, "verify_rsa") == 0) {
        rc = payauth_signer_verify_rsa(s, S("message"), S("signature"), err);
    } else if (strcmp(op, "verify_snap_rsa") == 0) {
        rc = payauth_signer_verify_snap_rsa(s, S("method"), S("path"), S("body"), S("timestamp"), S("signature"), err);
    } else if (strcmp(op, "verify_jws") == 0) {
        rc = payauth_signer_verify_jws(s, S("jws"), S("body"), err);
    } else {
        fprintf(stderr, "cross: unknown op \"%s\"\n", op);
        exit(1);
    }
    if (rc == PAYAUTH_OK && h != NULL) {
        for (size_t i = 0; i < payauth_headers_count(h); i++) {
            const char *name, *value;
            payauth_headers_get(h, i, &name, NULL, &value, NULL);
            printf("%s: %s\n", name, value);
        }
        const char *body = NULL;
        size_t body_len = 0;
        if (payauth_headers_body(h, &body, &body_len) == PAYAUTH_OK && body != NULL) {
            printf("= body: ");
            fwrite(body, 1, body_len, stdout);
            printf("\n");
        }
    }
    payauth_headers_free(h);
    free(extra);
    return rc;
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: cross CASES.json\n");
        return 2;
    }
    char *text = slurp(argv[1]);
    cJSON *root = text == NULL ? NULL : cJSON_Parse(text);
    const cJSON *cases = cJSON_GetObjectItemCaseSensitive(root, "cases");
    if (!cJSON_IsArray(cases)) {
        fprintf(stderr, "cross: %s: no \"cases\" array\n", argv[1]);
        return 1;
    }
    payauth_error *err = payauth_error_new();
    const cJSON *c;
    cJSON_ArrayForEach(c, cases) {
        char *config = cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(c, "config"));
        payauth_signer *s = NULL;
        int32_t rc = payauth_signer_new(config, strlen(config), &s, err);
        if (rc == PAYAUTH_OK) rc = run(c, s, err);
        printf("= status: %s\n\n", payauth_status_name(rc));
        payauth_signer_free(s);
        free(config);
    }
    payauth_error_free(err);
    cJSON_Delete(root);
    free(text);
    return 0;
}
