/* abi_check.c: C-side checks of the payauth ABI contract (include/payauth.h) that the vectors
 * do not cover: version macros, status names, NULL arguments, invalid UTF-8, the size query,
 * _free(NULL), the error object's life cycle and that secrets never reach error messages.
 *
 * Usage: abi_check   (needs no files and makes no network request)
 * Prints "FAIL <check>" per failed check, then "abi: N passed, N failed"; exits 1 on failure.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "payauth.h"

static int passed, failed;

static void check(int ok, const char *fmt, ...) {
    if (ok) {
        passed++;
        return;
    }
    failed++;
    va_list ap;
    va_start(ap, fmt);
    printf("FAIL ");
    vprintf(fmt, ap);
    printf("\n");
    va_end(ap);
}

#define S(x) x, strlen(x) /* a C string as a (ptr, len) pair */
#define NUL_ARG PAYAUTH_NULL_ARGUMENT
#define SECRET "SuperSecret123"

static const char NETZME[] = "{\"profile\":\"netzme\",\"client_id\":\"id\","
                             "\"client_secret\":\"" SECRET "\"}";

/* Every status macro of the header, with its spelling. */
#define ST(c) {c, #c}
static const struct { int32_t code; const char *name; } STATUSES[] = {
    ST(PAYAUTH_OK), ST(PAYAUTH_NULL_ARGUMENT), ST(PAYAUTH_INVALID_UTF8),
    ST(PAYAUTH_BUFFER_TOO_SMALL), ST(PAYAUTH_INVALID_ARGUMENT), ST(PAYAUTH_OUT_OF_RANGE),
    ST(PAYAUTH_NOT_FOUND), ST(PAYAUTH_CONFIG_JSON), ST(PAYAUTH_CONFIG_UNKNOWN_PROFILE),
    ST(PAYAUTH_CONFIG_MISSING_FIELD), ST(PAYAUTH_CONFIG_INVALID_FIELD),
    ST(PAYAUTH_CONFIG_SECRET_SOURCE), ST(PAYAUTH_KEY_INVALID), ST(PAYAUTH_KEY_TOO_SMALL),
    ST(PAYAUTH_SIGN_FAILED), ST(PAYAUTH_SIGNATURE_MISMATCH), ST(PAYAUTH_JSON_INVALID),
    ST(PAYAUTH_MISSING_TOKEN), ST(PAYAUTH_MISSING_REQUEST_FIELD), ST(PAYAUTH_UNSUPPORTED),
    ST(PAYAUTH_NETWORK), ST(PAYAUTH_TIMEOUT), ST(PAYAUTH_TLS), ST(PAYAUTH_HTTP_STATUS),
    ST(PAYAUTH_TOKEN_RESPONSE_INVALID), ST(PAYAUTH_CREDENTIALS_REJECTED),
    ST(PAYAUTH_RATE_LIMITED), ST(PAYAUTH_REDIRECT_REFUSED), ST(PAYAUTH_RESPONSE_TOO_LARGE),
    ST(PAYAUTH_BACKOFF), ST(PAYAUTH_WAIT_TIMEOUT), ST(PAYAUTH_PANIC), ST(PAYAUTH_INTERNAL),
};
/* The other constants a binding looks up by name. */
static const struct { int64_t value; const char *name; } CONSTANTS[] = {
    ST(PAYAUTH_FLAG_EXPLAIN), ST(PAYAUTH_HASH_SHA256), ST(PAYAUTH_HASH_SHA512),
    ST(PAYAUTH_ENCODING_HEX), ST(PAYAUTH_ENCODING_HEX_UPPER), ST(PAYAUTH_ENCODING_BASE64),
    ST(PAYAUTH_ENCODING_BASE64URL), ST(PAYAUTH_VERSION), ST(PAYAUTH_VERSION_MAJOR),
    ST(PAYAUTH_VERSION_MINOR), ST(PAYAUTH_VERSION_PATCH),
};

static void check_version_and_names(void) {
    uint32_t v = payauth_version();
    char expect[32];
    check(v == PAYAUTH_VERSION, "payauth_version() %u != PAYAUTH_VERSION %d", v, PAYAUTH_VERSION);
    check(v / 10000 == PAYAUTH_VERSION_MAJOR && v / 100 % 100 == PAYAUTH_VERSION_MINOR &&
              v % 100 == PAYAUTH_VERSION_PATCH, "version parts of %u", v);
    snprintf(expect, sizeof expect, "%d.%d.%d", PAYAUTH_VERSION_MAJOR, PAYAUTH_VERSION_MINOR,
             PAYAUTH_VERSION_PATCH);
    check(strcmp(payauth_version_string(), PAYAUTH_VERSION_STRING) == 0 &&
              strcmp(PAYAUTH_VERSION_STRING, expect) == 0,
          "payauth_version_string() \"%s\"", payauth_version_string());

    for (size_t i = 0; i < sizeof STATUSES / sizeof *STATUSES; i++) {
        int32_t c = STATUSES[i].code;
        int64_t value = -7;
        const char *desc = payauth_status_str(c);
        check(strcmp(payauth_status_name(c), STATUSES[i].name) == 0, "payauth_status_name(%d) "
              "\"%s\", want \"%s\"", (int)c, payauth_status_name(c), STATUSES[i].name);
        check(desc != NULL && desc[0] != '\0' && strcmp(desc, "unknown status code") != 0,
              "payauth_status_str(%d) \"%s\"", (int)c, desc ? desc : "(null)");
        check(payauth_constant(S(STATUSES[i].name), &value, NULL) == PAYAUTH_OK && value == c,
              "payauth_constant(%s)", STATUSES[i].name);
    }
    for (size_t i = 0; i < sizeof CONSTANTS / sizeof *CONSTANTS; i++) {
        int64_t value = -7;
        check(payauth_constant(S(CONSTANTS[i].name), &value, NULL) == PAYAUTH_OK &&
                  value == CONSTANTS[i].value, "payauth_constant(%s)", CONSTANTS[i].name);
    }
    const int32_t unknown[] = {12345, -1, 1, 99, 999, INT32_MIN, INT32_MAX};
    for (size_t i = 0; i < sizeof unknown / sizeof *unknown; i++) {
        check(strcmp(payauth_status_name(unknown[i]), "PAYAUTH_UNKNOWN") == 0 &&
                  strcmp(payauth_status_str(unknown[i]), "unknown status code") == 0,
              "unknown status %d: name \"%s\", str \"%s\"", (int)unknown[i],
              payauth_status_name(unknown[i]), payauth_status_str(unknown[i]));
    }
    int64_t value = -7;
    check(payauth_constant(S("PAYAUTH_NOPE"), &value, NULL) == PAYAUTH_NOT_FOUND && value == -7,
          "payauth_constant(unknown name) is PAYAUTH_NOT_FOUND and leaves *value untouched");
}

/* Every entry point with NULL handles / pointers returns a status instead of crashing, both
 * with an error object and with err = NULL. */
static void check_null_arguments(payauth_error *e) {
    /* Out-parameters start as sentinels: a failed call must leave them untouched. */
    static char sentinel[3];
    payauth_signer *s = (payauth_signer *)(void *)&sentinel[0];
    payauth_client *c = (payauth_client *)(void *)&sentinel[1];
    payauth_headers *h = (payauth_headers *)(void *)&sentinel[2];
    const char *name = NULL;
    size_t len = 0;
    int64_t value = 0;
    char buf[256];

    for (int pass = 0; pass < 2; pass++) {
        payauth_error *err = pass == 0 ? e : NULL;
        check(payauth_signer_new(NULL, 5, &s, err) == NUL_ARG, "signer_new(NULL config)");
        check(payauth_signer_new(S(NETZME), NULL, err) == NUL_ARG, "signer_new(out NULL)");
        check(payauth_client_new(NULL, 5, &c, err) == NUL_ARG, "client_new(NULL config)");
        check(payauth_client_new(S(NETZME), NULL, err) == NUL_ARG, "client_new(out NULL)");
        check(payauth_client_sign_request(NULL, S("GET"), S("/"), NULL, 0, 1, NULL, 0, 0, &h,
                                          err) == NUL_ARG, "client_sign_request(NULL)");
        check(payauth_client_invalidate(NULL, S("tok"), NULL, err) == NUL_ARG,
              "client_invalidate(NULL)");
        check(payauth_client_stats(NULL, buf, sizeof buf, &len, err) == NUL_ARG,
              "client_stats(NULL)");
        check(payauth_constant(NULL, 3, &value, err) == NUL_ARG, "constant(NULL name)");
        check(payauth_constant(S("PAYAUTH_OK"), NULL, err) == NUL_ARG, "constant(NULL value)");
        check(payauth_headers_get(NULL, 0, &name, &len, &name, &len) == NUL_ARG,
              "headers_get(NULL)");
        check(payauth_headers_find(NULL, S("X"), &name, &len) == NUL_ARG, "headers_find(NULL)");
        check(payauth_headers_explain_get(NULL, 0, &name, &len, &name, &len) == NUL_ARG,
              "explain_get(NULL)");
        check(payauth_headers_explain_find(NULL, S("timestamp"), &name, &len) == NUL_ARG,
              "explain_find(NULL)");
        check(payauth_hmac(PAYAUTH_HASH_SHA256, PAYAUTH_ENCODING_HEX, NULL, 3, S("m"), buf,
                           sizeof buf, &len, err) == NUL_ARG, "hmac(NULL key)");
        check(payauth_hmac(PAYAUTH_HASH_SHA256, PAYAUTH_ENCODING_HEX, S("k"), NULL, 3, buf,
                           sizeof buf, &len, err) == NUL_ARG, "hmac(NULL msg)");
        check(payauth_hmac(PAYAUTH_HASH_SHA256, PAYAUTH_ENCODING_HEX, S("k"), S("m"), buf,
                           sizeof buf, NULL, err) == NUL_ARG, "hmac(NULL out_len)");
        check(payauth_hmac_verify(PAYAUTH_HASH_SHA256, PAYAUTH_ENCODING_HEX, S("k"), S("m"), NULL,
                                  64, err) == NUL_ARG, "hmac_verify(NULL signature)");
        check(payauth_sha256_hex(NULL, 3, buf, sizeof buf, &len, err) == NUL_ARG,
              "sha256_hex(NULL data)");
        check(payauth_sha256_hex(S("x"), buf, sizeof buf, NULL, err) == NUL_ARG,
              "sha256_hex(NULL out_len)");
        check(payauth_rsa_sign(PAYAUTH_HASH_SHA256, PAYAUTH_ENCODING_BASE64, NULL, 100, S("m"),
                               buf, sizeof buf, &len, err) == NUL_ARG, "rsa_sign(NULL key)");
        check(payauth_json_minify(NULL, 2, buf, sizeof buf, &len, err) == NUL_ARG,
              "json_minify(NULL json)");
        check(payauth_json_minify(S("{}"), buf, sizeof buf, NULL, err) == NUL_ARG,
              "json_minify(NULL out_len)");
        check(payauth_signer_sign(NULL, S("GET"), S("/"), NULL, 0, S("t"), 1, NULL, 0, 0, &h,
                                  err) == NUL_ARG, "signer_sign(NULL signer)");
        check(payauth_signer_token_headers(NULL, 1, NULL, 0, 0, &h, err) == NUL_ARG,
              "signer_token_headers(NULL signer)");
        check(payauth_signer_verify(NULL, S("GET"), S("/"), NULL, 0, S("t"), S("1"), S("ab"),
                                    err) == NUL_ARG, "signer_verify(NULL signer)");
        check((void *)s == &sentinel[0] && (void *)c == &sentinel[1] && (void *)h == &sentinel[2],
              "out-parameters untouched on failure");
    }
    s = NULL;
    h = NULL;
    check(payauth_error_code(NULL) == 0 && strcmp(payauth_error_message(NULL), "") == 0,
          "error_code/message(NULL)");
    check(payauth_headers_count(NULL) == 0 && payauth_headers_explain_count(NULL) == 0,
          "headers_count/explain_count(NULL) = 0");
    check(strcmp(payauth_signer_profile(NULL), "") == 0, "signer_profile(NULL) = \"\"");

    /* NULL pointers inside calls on a live signer. */
    if (payauth_signer_new(S(NETZME), &s, e) != PAYAUTH_OK) {
        check(0, "signer_new(netzme): %s", payauth_error_message(e));
        return;
    }
    check(payauth_signer_sign(s, NULL, 3, S("/"), NULL, 0, S("t"), 1, NULL, 0, 0, &h, e) ==
              NUL_ARG, "signer_sign(NULL method)");
    check(payauth_signer_sign(s, S("GET"), NULL, 1, NULL, 0, S("t"), 1, NULL, 0, 0, &h, e) ==
              NUL_ARG, "signer_sign(NULL path)");
    check(payauth_signer_sign(s, S("GET"), S("/"), NULL, 9, S("t"), 1, NULL, 0, 0, &h, e) ==
              NUL_ARG, "signer_sign(NULL body, length 9)");
    check(payauth_signer_sign(s, S("GET"), S("/"), NULL, 0, NULL, 5, 1, NULL, 0, 0, &h, e) ==
              NUL_ARG, "signer_sign(NULL token, length 5)");
    check(payauth_signer_sign(s, S("GET"), S("/"), NULL, 0, S("t"), 1, NULL, 4, 0, &h, e) ==
              NUL_ARG, "signer_sign(NULL extra, length 4)");
    check(payauth_signer_sign(s, S("GET"), S("/"), NULL, 0, S("t"), 1, NULL, 0, 0, NULL, e) ==
              NUL_ARG, "signer_sign(out NULL)");
    check(payauth_signer_token_headers(s, 1, NULL, 0, 0, NULL, e) != PAYAUTH_OK,
          "signer_token_headers(out NULL) fails");
    check(payauth_signer_verify(s, S("GET"), S("/"), NULL, 0, S("t"), NULL, 3, S("ab"), e) ==
              NUL_ARG, "signer_verify(NULL timestamp)");
    check(payauth_signer_verify(s, S("GET"), S("/"), NULL, 0, S("t"), S("1"), NULL, 2, e) ==
              NUL_ARG, "signer_verify(NULL signature)");
    check(h == NULL, "headers untouched on failure");
    /* Empty (NULL, 0) method/path: not a crash; an empty method is not a valid request. */
    int32_t rc = payauth_signer_sign(s, NULL, 0, NULL, 0, NULL, 0, S("t"), 1, NULL, 0, 0, &h, e);
    check(rc != PAYAUTH_OK && h == NULL, "signer_sign(empty method) = %s",
          payauth_status_name(rc));
    /* A live headers object queried with NULL names / out of range. */
    if (payauth_signer_sign(s, S("GET"), S("/"), NULL, 0, S("t"), 1, NULL, 0, 0, &h, e) ==
        PAYAUTH_OK) {
        const char *v = "untouched";
        size_t n = 0;
        check(payauth_headers_find(h, NULL, 4, &v, &n) == NUL_ARG, "headers_find(NULL name)");
        check(payauth_headers_get(h, payauth_headers_count(h), &v, &n, NULL, NULL) ==
                  PAYAUTH_OUT_OF_RANGE && strcmp(v, "untouched") == 0, "headers_get past end");
        check(payauth_headers_find(h, S("request-time"), &v, &n) == PAYAUTH_OK && n == 1,
              "headers_find is case-insensitive");
        check(payauth_headers_find(h, S("X-Nope"), NULL, NULL) == PAYAUTH_NOT_FOUND,
              "headers_find(missing)");
        check(payauth_headers_get(h, 0, NULL, NULL, NULL, NULL) == PAYAUTH_OK,
              "headers_get with all out-parameters NULL");
        check(payauth_headers_explain_count(h) == 0, "no explain artifacts without the flag");
        const char *block = NULL;
        size_t block_len = 0;
        check(payauth_headers_text(h, NULL, &block_len) == NUL_ARG, "headers_text(NULL text)");
        check(payauth_headers_text(NULL, &block, &block_len) == NUL_ARG, "headers_text(NULL)");
        if (payauth_headers_text(h, &block, &block_len) == PAYAUTH_OK) {
            const char *name = NULL, *value = NULL;
            size_t name_len = 0, value_len = 0;
            size_t want = 0;
            char first[512] = "";
            for (size_t i = 0; i < payauth_headers_count(h); i++) {
                payauth_headers_get(h, i, &name, &name_len, &value, &value_len);
                want += name_len + 2 + value_len + 2;
                if (i == 0) snprintf(first, sizeof first, "%s: %s\r\n", name, value);
            }
            check(block_len == want && strlen(block) == block_len && first[0] != 0 &&
                      strncmp(block, first, strlen(first)) == 0,
                  "headers_text: one `Name: value\\r\\n` line per header (%zu bytes)", block_len);
            const char *again = NULL;
            payauth_headers_text(h, &again, NULL);
            check(again == block, "headers_text: made once, same pointer");
        } else {
            check(0, "headers_text failed");
        }
        payauth_headers_free(h);
        h = NULL;
    } else {
        check(0, "signer_sign(netzme): %s", payauth_error_message(e));
    }
    check(payauth_signer_sign(s, S("GET"), S("/"), NULL, 0, S("t"), 1, NULL, 0, 0x80, &h, e) ==
              PAYAUTH_INVALID_ARGUMENT && h == NULL, "unknown flag is PAYAUTH_INVALID_ARGUMENT");
    payauth_signer_free(s);
}

static void check_utf8(payauth_error *e) {
    static const char bad_config[] = "{\"profile\":\"netzme\",\"client_id\":\"\xff\"}";
    payauth_signer *s = NULL;
    payauth_client *c = NULL;
    payauth_headers *h = NULL;
    check(payauth_signer_new(S(bad_config), &s, e) == PAYAUTH_INVALID_UTF8 && s == NULL,
          "signer_new(invalid UTF-8 config) = %s", payauth_status_name(payauth_error_code(e)));
    check(payauth_client_new(S(bad_config), &c, e) == PAYAUTH_INVALID_UTF8 && c == NULL,
          "client_new(invalid UTF-8 config) = %s", payauth_status_name(payauth_error_code(e)));
    if (payauth_signer_new(S(NETZME), &s, e) != PAYAUTH_OK) return;
    check(payauth_signer_sign(s, S("G\xc3\x28T"), S("/"), NULL, 0, S("t"), 1, NULL, 0, 0, &h,
                              e) == PAYAUTH_INVALID_UTF8, "signer_sign(invalid UTF-8 method)");
    check(payauth_signer_sign(s, S("GET"), S("/\xe2\x82"), NULL, 0, S("t"), 1, NULL, 0, 0, &h,
                              e) == PAYAUTH_INVALID_UTF8, "signer_sign(invalid UTF-8 path)");
    check(payauth_signer_sign(s, S("GET"), S("/"), NULL, 0, S("t\x80"), 1, NULL, 0, 0, &h, e) ==
              PAYAUTH_INVALID_UTF8, "signer_sign(invalid UTF-8 token)");
    check(payauth_signer_verify(s, S("\xff"), S("/"), NULL, 0, S("t"), S("1"), S("ab"), e) ==
              PAYAUTH_INVALID_UTF8, "signer_verify(invalid UTF-8 method)");
    /* The body is bytes, not text: a non-UTF-8 body is signed as is. */
    check(payauth_signer_sign(s, S("POST"), S("/"), S("\xff\xfe"), S("t"), 1, NULL, 0, 0, &h,
                              e) == PAYAUTH_OK, "signer_sign(binary body)");
    check(h == NULL || payauth_headers_count(h) > 0, "binary body gives headers");
    payauth_headers_free(h);
    payauth_signer_free(s);
}

/* The size query of payauth_hmac: a short buffer is PAYAUTH_BUFFER_TOO_SMALL, reports the length
 * and is not written; a buffer of length + 1 receives the NUL-terminated result. */
static void check_buffers(payauth_error *e) {
    static const char want[] = "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8";
    static const char msg[] = "The quick brown fox jumps over the lazy dog";
    char buf[80];
    size_t len = 0;
    const size_t caps[] = {0, 1, 10, 64};
    for (size_t i = 0; i < sizeof caps / sizeof *caps; i++) {
        memset(buf, 'Z', sizeof buf);
        len = 0;
        int32_t rc = payauth_hmac(PAYAUTH_HASH_SHA256, PAYAUTH_ENCODING_HEX, S("key"), S(msg), buf,
                                  caps[i], &len, e);
        int untouched = 1;
        for (size_t j = 0; j < sizeof buf; j++) untouched &= buf[j] == 'Z';
        check(rc == PAYAUTH_BUFFER_TOO_SMALL && len == 64 && untouched &&
                  payauth_error_code(e) == PAYAUTH_BUFFER_TOO_SMALL,
              "hmac into %zu bytes: %s, len %zu, untouched %d", caps[i], payauth_status_name(rc),
              len, untouched);
    }
    len = 0;
    check(payauth_hmac(PAYAUTH_HASH_SHA256, PAYAUTH_ENCODING_HEX, S("key"), S(msg), NULL, 0, &len,
                       e) == PAYAUTH_BUFFER_TOO_SMALL && len == 64, "hmac size query (NULL, 0)");
    memset(buf, 'Z', sizeof buf);
    check(payauth_hmac(PAYAUTH_HASH_SHA256, PAYAUTH_ENCODING_HEX, S("key"), S(msg), buf, 65, &len,
                       e) == PAYAUTH_OK && len == 64 && strcmp(buf, want) == 0 && buf[65] == 'Z',
          "hmac into 65 bytes (RFC 2104 example)");
    check(payauth_hmac_verify(PAYAUTH_HASH_SHA256, PAYAUTH_ENCODING_HEX, S("key"), S(msg),
                              S("F7BC83F430538424B13298E6AA6FB143EF4D59A14946175997479DBC2D1A3CD8"),
                              e) == PAYAUTH_OK, "hmac_verify accepts upper-case hex");
    check(payauth_hmac(99, PAYAUTH_ENCODING_HEX, S("key"), S(msg), buf, sizeof buf, &len, e) ==
              PAYAUTH_INVALID_ARGUMENT, "hmac with an unknown hash");
    check(payauth_sha256_hex(S(""), buf, 64, &len, e) == PAYAUTH_BUFFER_TOO_SMALL && len == 64,
          "sha256_hex into 64 bytes");
}

static void check_free_and_errors(void) {
    payauth_error_free(NULL);
    payauth_signer_free(NULL);
    payauth_headers_free(NULL);
    payauth_client_free(NULL);
    check(1, "_free(NULL) no-ops");

    payauth_error *e = payauth_error_new();
    payauth_signer *s = NULL;
    payauth_headers *h = NULL;
    check(e != NULL && payauth_error_code(e) == 0 && strcmp(payauth_error_message(e), "") == 0,
          "a new error object is empty");
    int32_t rc = payauth_signer_new(S("{\"profile\":\"nope\"}"), &s, e);
    check(rc == PAYAUTH_CONFIG_UNKNOWN_PROFILE && payauth_error_code(e) == rc &&
              payauth_error_message(e)[0] != '\0', "failure sets code %d and a message", rc);
    rc = payauth_signer_new(S(NETZME), &s, e);
    check(rc == PAYAUTH_OK && payauth_error_code(e) == 0 && payauth_error_message(e)[0] == '\0',
          "success clears the error object");
    check(strcmp(payauth_signer_profile(s), "netzme") == 0, "signer_profile");
    rc = payauth_signer_sign(s, S("GET"), S("/"), NULL, 0, NULL, 0, 1, NULL, 0, 0, &h, e);
    check(rc == PAYAUTH_MISSING_TOKEN && payauth_error_message(e)[0] != '\0',
          "sign without token: %s", payauth_status_name(rc));
    rc = payauth_signer_sign(s, S("GET"), S("/"), NULL, 0, S("t"), 1, NULL, 0, 0, &h, e);
    check(rc == PAYAUTH_OK && payauth_error_code(e) == 0 && payauth_error_message(e)[0] == '\0',
          "a later success clears the error object");
    payauth_headers_free(h);
    payauth_signer_free(s);
    payauth_error_free(e);
}

/* A secret from the configuration never appears in an error message nor in explain output. */
static void check_no_secret_in_messages(payauth_error *e) {
    static const char *const bad[] = {
        "{\"profile\":\"netzme\",\"client_id\":\"id\",\"client_secret\":\"" SECRET "\",\"bogus\":1}",
        "{\"profile\":\"netzme\",\"client_id\":\"id\",\"client_secret\":\"" SECRET "\","
        "\"payload_template\":42}",
        "{\"profile\":\"netzme\",\"client_id\":7,\"client_secret\":\"" SECRET "\"}",
        "{\"profile\":\"netzme\",\"client_id\":\"id\",\"client_secret\":\"" SECRET "\" \"x\":1}",
        "{\"profile\":\"netzme\",\"client_id\":\"id\",\"client_secret\":\"" SECRET "\\q\"}",
        "{\"profile\":\"netzme\",\"client_id\":\"id\",\"client_secret\":\"" SECRET "\"",
        "{\"profile\":\"netzme\",\"client_id\":\"id\",\"client_secret\":\"" SECRET "\","
        "\"key_template\":\"{secret}-{bogus}\"}",
        "{\"profile\":\"netzme\",\"client_id\":\"id\",\"client_secret\":\"" SECRET "\","
        "\"payload_template\":\"{secret}\"}",
        "{\"profile\":\"netzme\",\"client_id\":\"id\",\"client_secret\":[\"" SECRET "\"]}",
        "{\"profile\":\"paytia\",\"api_key\":\"" SECRET "\",\"token_header\":5}",
        "{\"profile\":\"snap\",\"client_id\":\"id\",\"client_secret\":\"x\",\"private_key\":\"" SECRET
        "\"}",
        "{\"profile\":\"azupay\",\"api_key\":\"k\",\"hmac\":{\"secret\":\"" SECRET "\","
        "\"hash\":\"md5\"}}",
        "{\"profile\":\"paynet-reports\",\"client_id\":\"id\",\"client_secret\":\"x\","
        "\"x_signature_secret\":\"" SECRET "\",\"ts_unit\":\"" SECRET "\"}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        payauth_signer *s = NULL;
        int32_t rc = payauth_signer_new(S(bad[i]), &s, e);
        const char *msg = payauth_error_message(e);
        check(rc != PAYAUTH_OK && s == NULL && msg[0] != '\0' && strstr(msg, SECRET) == NULL,
              "bad config #%zu: %s: \"%s\"", i, payauth_status_name(rc), msg);
        payauth_signer_free(s);
    }
    /* Signing-time errors and explain artifacts of a signer holding the secret. */
    payauth_signer *s = NULL;
    payauth_headers *h = NULL;
    if (payauth_signer_new(S(NETZME), &s, e) != PAYAUTH_OK) return;
    int32_t rc = payauth_signer_sign(s, S("GET"), S("/"), NULL, 0, NULL, 0, 1, NULL, 0, 0, &h, e);
    check(rc != PAYAUTH_OK && strstr(payauth_error_message(e), SECRET) == NULL,
          "sign error message has no secret");
    rc = payauth_signer_sign(s, S("GET"), S("/"), NULL, 0, S("t"), 1, S("{\"timestamp\":5}"), 0,
                             &h, e);
    check(rc != PAYAUTH_OK && strstr(payauth_error_message(e), SECRET) == NULL,
          "bad extra: %s \"%s\"", payauth_status_name(rc), payauth_error_message(e));
    if (payauth_signer_sign(s, S("GET"), S("/"), NULL, 0, S("t"), 1, NULL, 0,
                            PAYAUTH_FLAG_EXPLAIN, &h, e) == PAYAUTH_OK) {
        size_t n = payauth_headers_explain_count(h), leaks = 0;
        for (size_t i = 0; i < n; i++) {
            const char *v = NULL;
            size_t len = 0;
            if (payauth_headers_explain_get(h, i, NULL, NULL, &v, &len) == PAYAUTH_OK &&
                len >= strlen(SECRET))
                for (size_t j = 0; j + strlen(SECRET) <= len; j++)
                    leaks += memcmp(v + j, SECRET, strlen(SECRET)) == 0;
        }
        check(n > 0 && leaks == 0, "explain artifacts (%zu) show no secret", n);
        payauth_headers_free(h);
    }
    payauth_signer_free(s);
}

int main(void) {
    payauth_error *e = payauth_error_new();
    if (e == NULL) {
        printf("FAIL payauth_error_new returned NULL\n");
        return 1;
    }
    check_version_and_names();
    check_null_arguments(e);
    check_utf8(e);
    check_buffers(e);
    check_free_and_errors();
    check_no_secret_in_messages(e);
    payauth_error_free(e);
    printf("abi: %d passed, %d failed\n", passed, failed);
    return failed == 0 ? 0 : 1;
}
