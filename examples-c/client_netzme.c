/* client_netzme.c: the one call per request. A client fetches the Netzme access token (Basic
 * auth), caches it, and returns every header for each request; after a 401 you invalidate the
 * token you sent and sign again.
 *
 * Needs a gateway: PAYAUTH_GATEWAY (base URL, e.g. the local emulator's
 * https://127.0.0.1:PORT) and PAYAUTH_CA_FILE (its CA certificate). scripts/setup.sh starts
 * the emulator and runs this program.
 *
 * Build: gcc -std=c11 -Wall -Wextra -Iinclude examples-c/client_netzme.c -Ltarget/release -lpayauth
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "payauth.h"

static int sign(payauth_client *client, const char *path, char *auth, size_t auth_cap, payauth_error *err) {
    payauth_headers *h = NULL;
    if (payauth_client_sign_request(client, "GET", 3, path, strlen(path), NULL, 0, 0, NULL, 0, 0, &h, err)) {
        fprintf(stderr, "sign_request: %s: %s\n", payauth_status_name(payauth_error_code(err)),
                payauth_error_message(err));
        return 1;
    }
    for (size_t i = 0; i < payauth_headers_count(h); i++) {
        const char *name, *value;
        payauth_headers_get(h, i, &name, NULL, &value, NULL);
        printf("  %s: %s\n", name, value);
        if (strcmp(name, "Authorization") == 0) snprintf(auth, auth_cap, "%s", value);
    }
    payauth_headers_free(h);
    return 0;
}

int main(void) {
    const char *gateway = getenv("PAYAUTH_GATEWAY"), *ca = getenv("PAYAUTH_CA_FILE");
    if (!gateway || !ca) {
        fprintf(stderr, "set PAYAUTH_GATEWAY and PAYAUTH_CA_FILE (see scripts/setup.sh)\n");
        return 2;
    }
    char config[1024];
    snprintf(config, sizeof config,
             "{\"profile\":\"netzme\",\"client_id\":\"TokoNetmeClientId\",\"client_secret\":\"MaREaULkzAUTAFYg\","
             "\"token_url\":\"%s/oauth/merchant/accesstoken\",\"ca_file\":\"%s\",\"timeout_ms\":5000}",
             gateway, ca);
    payauth_error *err = payauth_error_new();
    payauth_client *client = NULL;
    if (payauth_client_new(config, strlen(config), &client, err)) {
        fprintf(stderr, "client_new: %s\n", payauth_error_message(err));
        payauth_error_free(err);
        return 1;
    }
    char auth[256] = "";
    int rc = 0;
    printf("first request (fetches a token):\n");
    rc |= sign(client, "/echo/netzme/api/aggregator/merchant/qr/balance/detail?userId=M_1", auth, sizeof auth, err);
    printf("second request (cache hit):\n");
    rc |= sign(client, "/echo/netzme/api/aggregator/merchant/qr/balance/detail?userId=M_2", auth, sizeof auth, err);
    /* The gateway answered 401: invalidate exactly the token that was sent, then sign again. */
    int32_t evicted = 0;
    rc |= payauth_client_invalidate(client, auth, strlen(auth), &evicted, err) != PAYAUTH_OK;
    printf("after a 401 (evicted=%d, fetches a new token):\n", (int)evicted);
    rc |= sign(client, "/echo/netzme/api/aggregator/merchant/qr/balance/detail?userId=M_3", auth, sizeof auth, err);
    char stats[512];
    size_t len = 0;
    if (payauth_client_stats(client, stats, sizeof stats, &len, err) == PAYAUTH_OK) printf("stats: %s\n", stats);
    payauth_client_free(client);
    payauth_error_free(err);
    return rc;
}
