/* cross.c: the C side of the cross-language check (scripts/cross-check.sh).
 *
 * Usage: cross CASES.json   with {"cases":[{"config":{…},"method":"POST","path":"/x","body":"…",
 *                                 "token":"…","time_ms":1700000000000,"extra":{…} or null}, …]}
 * Prints, for each case, every header as "Name: value" (in the library's order), then an empty
 * line. Any error: message on stderr, exit 1. The Python, PHP and Java bindings have the same
 * command (bindings/<lang>/cross); their outputs must be identical.
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
    int rc = 0;
    const cJSON *c;
    cJSON_ArrayForEach(c, cases) {
        char *config = cJSON_PrintUnformatted(cJSON_GetObjectItemCaseSensitive(c, "config"));
        const cJSON *extra_json = cJSON_GetObjectItemCaseSensitive(c, "extra");
        char *extra = cJSON_IsObject(extra_json) ? cJSON_PrintUnformatted(extra_json) : NULL;
        const char *method = str(c, "method"), *path = str(c, "path"), *body = str(c, "body");
        const char *token = str(c, "token");
        int64_t time_ms = (int64_t)cJSON_GetNumberValue(cJSON_GetObjectItemCaseSensitive(c, "time_ms"));
        payauth_signer *s = NULL;
        payauth_headers *h = NULL;
        if (payauth_signer_new(config, strlen(config), &s, err) != PAYAUTH_OK ||
            payauth_signer_sign(s, method, strlen(method), path, strlen(path), body, strlen(body), token,
                                strlen(token), time_ms, extra, extra == NULL ? 0 : strlen(extra), 0, &h,
                                err) != PAYAUTH_OK) {
            fprintf(stderr, "cross: %s\n", payauth_error_message(err));
            rc = 1;
        } else {
            for (size_t i = 0; i < payauth_headers_count(h); i++) {
                const char *name, *value;
                payauth_headers_get(h, i, &name, NULL, &value, NULL);
                printf("%s: %s\n", name, value);
            }
            printf("\n");
        }
        payauth_headers_free(h);
        payauth_signer_free(s);
        free(config);
        free(extra);
        if (rc != 0) break;
    }
    payauth_error_free(err);
    cJSON_Delete(root);
    free(text);
    return rc;
}
