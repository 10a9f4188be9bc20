/* payauth declarations for PHP FFI::cdef (no preprocessor lines). GENERATED: do not edit. */

typedef struct payauth_client payauth_client;

typedef struct payauth_error payauth_error;

typedef struct payauth_headers payauth_headers;

typedef struct payauth_signer payauth_signer;

struct payauth_error *payauth_error_new(void);

void payauth_error_free(struct payauth_error *err);

int32_t payauth_error_code(const struct payauth_error *err);

const char *payauth_error_message(const struct payauth_error *err);

const char *payauth_status_str(int32_t code);

const char *payauth_status_name(int32_t code);

int32_t payauth_status_group(int32_t code);

uint32_t payauth_version(void);

const char *payauth_version_string(void);

int32_t payauth_constant(const char *name,
                         size_t name_len,
                         int64_t *value,
                         struct payauth_error *err);

int32_t payauth_signer_new(const char *config,
                           size_t config_len,
                           struct payauth_signer **out,
                           struct payauth_error *err);

void payauth_signer_free(struct payauth_signer *signer);

const char *payauth_signer_profile(const struct payauth_signer *signer);

int32_t payauth_signer_sign(const struct payauth_signer *signer,
                            const char *method,
                            size_t method_len,
                            const char *path,
                            size_t path_len,
                            const char *body,
                            size_t body_len,
                            const char *token,
                            size_t token_len,
                            int64_t timestamp_ms,
                            const char *extra_json,
                            size_t extra_len,
                            uint32_t flags,
                            struct payauth_headers **out,
                            struct payauth_error *err);

int32_t payauth_signer_token_headers(const struct payauth_signer *signer,
                                     int64_t timestamp_ms,
                                     const char *extra_json,
                                     size_t extra_len,
                                     uint32_t flags,
                                     struct payauth_headers **out,
                                     struct payauth_error *err);

int32_t payauth_signer_verify(const struct payauth_signer *signer,
                              const char *method,
                              size_t method_len,
                              const char *path,
                              size_t path_len,
                              const char *body,
                              size_t body_len,
                              const char *token,
                              size_t token_len,
                              const char *timestamp,
                              size_t timestamp_len,
                              const char *signature,
                              size_t signature_len,
                              struct payauth_error *err);

int32_t payauth_signer_verify_rsa(const struct payauth_signer *signer,
                                  const char *message,
                                  size_t message_len,
                                  const char *signature,
                                  size_t signature_len,
                                  struct payauth_error *err);

int32_t payauth_signer_verify_snap_rsa(const struct payauth_signer *signer,
                                       const char *method,
                                       size_t method_len,
                                       const char *path,
                                       size_t path_len,
                                       const char *body,
                                       size_t body_len,
                                       const char *timestamp,
                                       size_t timestamp_len,
                                       const char *signature,
                                       size_t signature_len,
                                       struct payauth_error *err);

int32_t payauth_signer_verify_jws(const struct payauth_signer *signer,
                                  const char *jws,
                                  size_t jws_len,
                                  const char *body,
                                  size_t body_len,
                                  struct payauth_error *err);

size_t payauth_headers_count(const struct payauth_headers *h);

int32_t payauth_headers_get(const struct payauth_headers *h,
                            size_t index,
                            const char **name,
                            size_t *name_len,
                            const char **value,
                            size_t *value_len);

int32_t payauth_headers_find(const struct payauth_headers *h,
                             const char *name,
                             size_t name_len,
                             const char **value,
                             size_t *value_len);

size_t payauth_headers_explain_count(const struct payauth_headers *h);

int32_t payauth_headers_explain_get(const struct payauth_headers *h,
                                    size_t index,
                                    const char **name,
                                    size_t *name_len,
                                    const char **value,
                                    size_t *value_len);

int32_t payauth_headers_explain_find(const struct payauth_headers *h,
                                     const char *name,
                                     size_t name_len,
                                     const char **value,
                                     size_t *value_len);

int32_t payauth_headers_text(const struct payauth_headers *h, const char **text, size_t *len);

void payauth_headers_free(struct payauth_headers *h);

int32_t payauth_headers_body(const struct payauth_headers *h, const char **body, size_t *body_len);

int32_t payauth_client_new(const char *config,
                           size_t config_len,
                           struct payauth_client **out,
                           struct payauth_error *err);

void payauth_client_free(struct payauth_client *client);

const char *payauth_client_profile(const struct payauth_client *client);

int32_t payauth_client_sign_request(const struct payauth_client *client,
                                    const char *method,
                                    size_t method_len,
                                    const char *path,
                                    size_t path_len,
                                    const char *body,
                                    size_t body_len,
                                    int64_t timestamp_ms,
                                    const char *extra_json,
                                    size_t extra_len,
                                    uint32_t flags,
                                    struct payauth_headers **out,
                                    struct payauth_error *err);

int32_t payauth_client_invalidate(const struct payauth_client *client,
                                  const char *token,
                                  size_t token_len,
                                  int32_t *evicted,
                                  struct payauth_error *err);

int32_t payauth_client_stats(const struct payauth_client *client,
                             char *out,
                             size_t out_cap,
                             size_t *out_len,
                             struct payauth_error *err);

int32_t payauth_signer_sign_packed(const struct payauth_signer *signer,
                                   const char *request,
                                   size_t request_len,
                                   int64_t timestamp_ms,
                                   uint32_t flags,
                                   char *out,
                                   size_t out_cap,
                                   size_t *out_len,
                                   char **spill,
                                   struct payauth_error *err);

int32_t payauth_client_sign_packed(const struct payauth_client *client,
                                   const char *request,
                                   size_t request_len,
                                   int64_t timestamp_ms,
                                   uint32_t flags,
                                   char *out,
                                   size_t out_cap,
                                   size_t *out_len,
                                   char **spill,
                                   struct payauth_error *err);

void payauth_spill_free(char *spill, size_t len);

int32_t payauth_hmac(uint32_t hash,
                     uint32_t encoding_,
                     const char *key,
                     size_t key_len,
                     const char *msg,
                     size_t msg_len,
                     char *out,
                     size_t out_cap,
                     size_t *out_len,
                     struct payauth_error *err);

int32_t payauth_hmac_verify(uint32_t hash,
                            uint32_t encoding_,
                            const char *key,
                            size_t key_len,
                            const char *msg,
                            size_t msg_len,
                            const char *signature,
                            size_t signature_len,
                            struct payauth_error *err);

int32_t payauth_sha256_hex(const char *data,
                           size_t data_len,
                           char *out,
                           size_t out_cap,
                           size_t *out_len,
                           struct payauth_error *err);

int32_t payauth_rsa_sign(uint32_t hash,
                         uint32_t encoding_,
                         const char *private_key,
                         size_t private_key_len,
                         const char *msg,
                         size_t msg_len,
                         char *out,
                         size_t out_cap,
                         size_t *out_len,
                         struct payauth_error *err);

int32_t payauth_json_minify(const char *json,
                            size_t json_len,
                            char *out,
                            size_t out_cap,
                            size_t *out_len,
                            struct payauth_error *err);
