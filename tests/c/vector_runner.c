/* vector_runner.c: runs every conformance vector (tests/vectors/NAME.json, format in
 * docs/vectors-format.md) through the C ABI, the way a C caller uses it.
 *
 * Usage: vector_runner DIR   (every file ending in .json in DIR is a vector)
 * Prints one line per failing vector ("FAIL <id>: <what differed>"), then exactly
 * "N passed, N failed". Exits 0 only if at least one vector ran and none failed.
 */
#define _POSIX_C_SOURCE 200809L

#include <cjson/cJSON.h>
#include <dirent.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "payauth.h"

/* The first difference found in the current vector (empty while it passes). */
static char failure[4096];

static void fail(const char *fmt, ...) {
    if (failure[0] != '\0') return; /* keep the first difference only */
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(failure, sizeof failure, fmt, ap);
    va_end(ap);
}

/* The string member `key` of `obj`, or "" when absent or not a string. */
static const char *str(const cJSON *obj, const char *key) {
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsString(v) && v->valuestring != NULL ? v->valuestring : "";
}

static int bytes_eq(const char *a, size_t a_len, const char *b) {
    return a_len == strlen(b) && (a_len == 0 || memcmp(a, b, a_len) == 0);
}

static char *read_file(const char *path) {
    FILE *f = fopen(path, "rb");
    if (f == NULL) return NULL;
    char *buf = NULL;
    long n = -1;
    if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && fseek(f, 0, SEEK_SET) == 0 &&
        (buf = malloc((size_t)n + 1)) != NULL) {
        if (fread(buf, 1, (size_t)n, f) == (size_t)n) {
            buf[n] = '\0';
        } else {
            free(buf);
            buf = NULL;
        }
    }
    fclose(f);
    return buf;
}

/* Compares a headers object with expect.headers (exact names, values and order) and with each
 * artifact listed in expect.explain. */
static void check_headers(const payauth_headers *h, const cJSON *expect) {
    const cJSON *want = cJSON_GetObjectItemCaseSensitive(expect, "headers");
    if (want != NULL) {
        size_t got_n = payauth_headers_count(h), want_n = (size_t)cJSON_GetArraySize(want);
        for (size_t i = 0; i < got_n || i < want_n; i++) {
            const char *name = "", *value = "";
            size_t name_len = 0, value_len = 0;
            const cJSON *pair = cJSON_GetArrayItem(want, (int)i);
            const char *wn = cJSON_GetStringValue(cJSON_GetArrayItem(pair, 0));
            const char *wv = cJSON_GetStringValue(cJSON_GetArrayItem(pair, 1));
            if (i < got_n &&
                payauth_headers_get(h, i, &name, &name_len, &value, &value_len) != PAYAUTH_OK) {
                fail("payauth_headers_get(%zu) failed", i);
                return;
            }
            if (i >= want_n) {
                fail("unexpected header #%zu %.*s: %.*s", i, (int)name_len, name, (int)value_len,
                     value);
            } else if (wn == NULL || wv == NULL) {
                fail("expect.headers[%zu] is not a [name, value] pair", i);
            } else if (i >= got_n) {
                fail("missing header #%zu %s: %s (got %zu headers)", i, wn, wv, got_n);
            } else if (!bytes_eq(name, name_len, wn) || !bytes_eq(value, value_len, wv)) {
                fail("header #%zu: got %.*s: %.*s, want %s: %s", i, (int)name_len, name,
                     (int)value_len, value, wn, wv);
            }
            if (failure[0] != '\0') return;
        }
    }
    const cJSON *explain = cJSON_GetObjectItemCaseSensitive(expect, "explain");
    const cJSON *item;
    cJSON_ArrayForEach(item, explain) {
        const char *value = NULL;
        size_t value_len = 0;
        const char *wv = cJSON_IsString(item) ? item->valuestring : "";
        int32_t rc = payauth_headers_explain_find(h, item->string, strlen(item->string), &value,
                                                  &value_len);
        if (rc != PAYAUTH_OK) {
            fail("explain `%s`: %s, want \"%s\"", item->string, payauth_status_name(rc), wv);
        } else if (!bytes_eq(value, value_len, wv)) {
            fail("explain `%s`: got \"%.*s\", want \"%s\"", item->string, (int)value_len, value,
                 wv);
        }
        if (failure[0] != '\0') return;
    }
    /* expect.body: the bytes to send, present only when they differ from the body given. */
    const char *send = NULL;
    size_t send_len = 0;
    int32_t rc = payauth_headers_body(h, &send, &send_len);
    const cJSON *want_body = cJSON_GetObjectItemCaseSensitive(expect, "body");
    if (cJSON_IsString(want_body)) {
        if (rc != PAYAUTH_OK) {
            fail("body to send: %s, want \"%s\"", payauth_status_name(rc), want_body->valuestring);
        } else if (!bytes_eq(send, send_len, want_body->valuestring) || send[send_len] != '\0') {
            fail("body to send: got \"%.*s\", want \"%s\"", (int)send_len, send, want_body->valuestring);
        }
    } else if (rc != PAYAUTH_NOT_FOUND) {
        fail("body to send: %s, want PAYAUTH_NOT_FOUND (send the body as given)", payauth_status_name(rc));
    }
}

/* Runs one parsed vector; records the first difference in `failure`. */
static void run_vector(const char *id, const cJSON *v) {
    const char *op = str(v, "operation");
    const cJSON *input = cJSON_GetObjectItemCaseSensitive(v, "input");
    const cJSON *expect = cJSON_GetObjectItemCaseSensitive(v, "expect");
    const char *want_status = str(expect, "status");
    payauth_error *err = payauth_error_new();
    payauth_signer *signer = NULL;
    payauth_headers *h = NULL;
    char *config = NULL, *extra = NULL, *minified = NULL;
    int32_t rc = PAYAUTH_OK;

    if (err == NULL) {
        fail("payauth_error_new returned NULL");
        return;
    }
    if (strcmp(str(v, "id"), id) != 0) {
        fail("id \"%s\" differs from the file name", str(v, "id"));
        goto done;
    }
    if (want_status[0] == '\0') {
        fail("expect.status is missing");
        goto done;
    }

    if (strcmp(op, "minify") == 0) {
        const char *json = str(input, "json");
        size_t json_len = strlen(json), out_len = 0;
        minified = malloc(json_len + 1); /* the output is never longer than the input */
        if (minified == NULL) {
            fail("out of memory");
            goto done;
        }
        rc = payauth_json_minify(json, json_len, minified, json_len + 1, &out_len, err);
        if (rc == PAYAUTH_OK && strcmp(want_status, "PAYAUTH_OK") == 0 &&
            !bytes_eq(minified, out_len, str(expect, "output"))) {
            fail("minify output \"%.*s\", want \"%s\"", (int)out_len, minified,
                 str(expect, "output"));
        }
        goto status;
    }

    /* config: a JSON string is passed verbatim, anything else is serialised compactly. */
    const cJSON *cfg = cJSON_GetObjectItemCaseSensitive(v, "config");
    if (cfg == NULL) {
        fail("no config");
        goto done;
    }
    config = cJSON_IsString(cfg) ? NULL : cJSON_PrintUnformatted(cfg);
    const char *config_text = cJSON_IsString(cfg) ? cfg->valuestring : config;
    if (config_text == NULL) {
        fail("cannot serialise config");
        goto done;
    }
    rc = payauth_signer_new(config_text, strlen(config_text), &signer, err);
    if (rc != PAYAUTH_OK || strcmp(op, "signer_new") == 0) goto status;

    const cJSON *extra_json = cJSON_GetObjectItemCaseSensitive(input, "extra");
    if (extra_json != NULL && !cJSON_IsNull(extra_json)) {
        extra = cJSON_PrintUnformatted(extra_json);
        if (extra == NULL) {
            fail("cannot serialise extra");
            goto done;
        }
    }
    size_t extra_len = extra != NULL ? strlen(extra) : 0;
    const cJSON *ts = cJSON_GetObjectItemCaseSensitive(input, "timestamp_ms");
    /* cJSON keeps numbers as doubles: integers beyond 2^53 would silently change. */
    if (cJSON_IsNumber(ts) && (ts->valuedouble > 9007199254740992.0 ||
                               ts->valuedouble < -9007199254740992.0 ||
                               ts->valuedouble != (double)(int64_t)ts->valuedouble)) {
        fail("timestamp_ms %.17g is not an integer cJSON represents exactly", ts->valuedouble);
        goto done;
    }
    int64_t timestamp_ms = cJSON_IsNumber(ts) ? (int64_t)ts->valuedouble : 0;
    const char *method = str(input, "method"), *path = str(input, "path");
    const char *body = str(input, "body"), *token = str(input, "token");

    if (strcmp(op, "sign") == 0) {
        rc = payauth_signer_sign(signer, method, strlen(method), path, strlen(path), body,
                                 strlen(body), token, strlen(token), timestamp_ms, extra,
                                 extra_len, PAYAUTH_FLAG_EXPLAIN, &h, err);
    } else if (strcmp(op, "token_headers") == 0) {
        rc = payauth_signer_token_headers(signer, timestamp_ms, extra, extra_len,
                                          PAYAUTH_FLAG_EXPLAIN, &h, err);
    } else if (strcmp(op, "verify") == 0) {
        const char *t = str(input, "timestamp"), *sig = str(input, "signature");
        rc = payauth_signer_verify(signer, method, strlen(method), path, strlen(path), body,
                                   strlen(body), token, strlen(token), t, strlen(t), sig,
                                   strlen(sig), err);
    } else if (strcmp(op, "verify_rsa") == 0) {
        const char *m = str(input, "message"), *sig = str(input, "signature");
        rc = payauth_signer_verify_rsa(signer, m, strlen(m), sig, strlen(sig), err);
    } else if (strcmp(op, "verify_snap_rsa") == 0) {
        const char *t = str(input, "timestamp"), *sig = str(input, "signature");
        rc = payauth_signer_verify_snap_rsa(signer, method, strlen(method), path, strlen(path), body,
                                            strlen(body), t, strlen(t), sig, strlen(sig), err);
    } else if (strcmp(op, "verify_jws") == 0) {
        const char *j = str(input, "jws");
        rc = payauth_signer_verify_jws(signer, j, strlen(j), body, strlen(body), err);
    } else {
        fail("unknown operation \"%s\"", op);
        goto done;
    }

status:
    if (strcmp(payauth_status_name(rc), want_status) != 0) {
        fail("status %s (%s), want %s", payauth_status_name(rc), payauth_error_message(err),
             want_status);
    } else if (rc == PAYAUTH_OK && h != NULL) {
        check_headers(h, expect);
    }
    /* The error object must mirror the call: code and a message on failure, cleared on success. */
    if (payauth_error_code(err) != rc) {
        fail("payauth_error_code %d differs from the returned status %d",
             (int)payauth_error_code(err), (int)rc);
    } else if ((rc == PAYAUTH_OK) != (payauth_error_message(err)[0] == '\0')) {
        fail("error message \"%s\" does not match status %s", payauth_error_message(err),
             payauth_status_name(rc));
    }

done:
    payauth_headers_free(h);
    payauth_signer_free(signer);
    payauth_error_free(err);
    cJSON_free(config);
    cJSON_free(extra);
    free(minified);
}

/* Prints `s` on one line: newlines, tabs and other control bytes are escaped. */
static void print_escaped(const char *s) {
    for (const unsigned char *p = (const unsigned char *)s; *p != '\0'; p++) {
        if (*p == '\n') fputs("\\n", stdout);
        else if (*p == '\r') fputs("\\r", stdout);
        else if (*p == '\t') fputs("\\t", stdout);
        else if (*p < 0x20 || *p == 0x7f) printf("\\x%02x", *p);
        else putchar(*p);
    }
    putchar('\n');
}

static int compare_names(const void *a, const void *b) {
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: %s VECTOR_DIR\n", argv[0]);
        return 2;
    }
    DIR *dir = opendir(argv[1]);
    if (dir == NULL) {
        perror(argv[1]);
        return 2;
    }
    /* Collect and sort the *.json names so the output order is stable. */
    char **names = NULL;
    size_t count = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(dir)) != NULL) {
        size_t n = strlen(e->d_name);
        if (n <= 5 || strcmp(e->d_name + n - 5, ".json") != 0) continue;
        if (count == cap) {
            cap = cap ? cap * 2 : 64;
            char **grown = realloc(names, cap * sizeof *names);
            if (grown == NULL) return 2;
            names = grown;
        }
        if ((names[count] = strdup(e->d_name)) == NULL) return 2;
        count++;
    }
    closedir(dir);
    if (count > 0) qsort(names, count, sizeof *names, compare_names);

    int passed = 0, failed = 0;
    for (size_t i = 0; i < count; i++) {
        char path[4096], id[1024];
        snprintf(path, sizeof path, "%s/%s", argv[1], names[i]);
        snprintf(id, sizeof id, "%.*s", (int)(strlen(names[i]) - 5), names[i]);
        failure[0] = '\0';
        char *text = read_file(path);
        cJSON *v = text != NULL ? cJSON_Parse(text) : NULL;
        if (text == NULL) {
            fail("cannot read %s", path);
        } else if (!cJSON_IsObject(v)) {
            fail("not a JSON object (cJSON stopped near: %.40s)",
                 v == NULL && cJSON_GetErrorPtr() ? cJSON_GetErrorPtr() : "?");
        } else {
            run_vector(id, v);
        }
        if (failure[0] != '\0') {
            printf("FAIL %s: ", id);
            print_escaped(failure);
            failed++;
        } else {
            passed++;
        }
        cJSON_Delete(v);
        free(text);
        free(names[i]);
    }
    free(names);
    if (passed + failed == 0) fprintf(stderr, "no *.json vectors in %s\n", argv[1]);
    printf("%d passed, %d failed\n", passed, failed);
    return failed == 0 && passed > 0 ? 0 : 1;
}
