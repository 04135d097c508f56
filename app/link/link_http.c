/* link_http.c — HTTPS to the ingest server with libcurl: one handle per connection (kept alive
 * across batches), the server verified against the one CA file given at enrolment and nothing
 * else (no system CAs), TLS 1.2 or newer, https only. Failures become one plain sentence that
 * names the server or the CA file (docs/fleet-protocol.md section 7). */
#include "link.h"

#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>

#define LINK_REPLY_MAX (64u << 20) /* a pull page of 1,000 large records fits well below */

struct link_conn {
    CURL *curl;
    char url[LINK_URL_MAX];
    char ca[LINK_PATH_MAX];
};

typedef struct reply_buf {
    char *data;
    size_t len, cap;
    bool too_big;
} reply_buf;

static size_t reply_write(char *ptr, size_t size, size_t nmemb, void *p)
{
    reply_buf *b = p;
    size_t n = size * nmemb;
    if (b->len + n + 1 > LINK_REPLY_MAX) {
        b->too_big = true;
        return 0; /* curl stops with CURLE_WRITE_ERROR */
    }
    if (b->len + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 16384;
        while (cap < b->len + n + 1)
            cap *= 2;
        char *bigger = realloc(b->data, cap);
        if (!bigger)
            return 0;
        b->data = bigger;
        b->cap = cap;
    }
    memcpy(b->data + b->len, ptr, n);
    b->len += n;
    b->data[b->len] = '\0';
    return n;
}

int link_conn_open(const char *server_url, const char *ca_file, link_conn **out, its_err *err)
{
    *out = NULL;
    if (!server_url || strncmp(server_url, "https://", 8) != 0 || strlen(server_url) >= LINK_URL_MAX - 32)
        return its_fail(err, "The server address must start with https:// (for example "
                             "https://fleet.example.org:8443).");
    if (!ca_file || !*ca_file || strlen(ca_file) >= LINK_PATH_MAX)
        return its_fail(err, "A CA file is needed to check the server (--ca FILE).");
    static bool global_done;
    if (!global_done && curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
        return its_fail(err, "The HTTPS library could not start.");
    global_done = true;
    link_conn *c = calloc(1, sizeof *c);
    if (!c || !(c->curl = curl_easy_init())) {
        free(c);
        return its_fail_code(err, ITS_E_NO_MEMORY, "The HTTPS library could not start: out of memory.");
    }
    its_strlcpy(c->url, server_url, sizeof c->url);
    size_t n = strlen(c->url);
    while (n > 8 && c->url[n - 1] == '/')
        c->url[--n] = '\0';
    its_strlcpy(c->ca, ca_file, sizeof c->ca);
    *out = c;
    return 0;
}

void link_conn_close(link_conn *c)
{
    if (!c)
        return;
    curl_easy_cleanup(c->curl);
    free(c);
}

const char *link_conn_url(const link_conn *c) { return c->url; }

/* One sentence for a transfer that did not get an HTTP answer. */
static int transfer_fail(const link_conn *c, CURLcode rc, const reply_buf *b, const char *errbuf,
                         its_err *err)
{
    switch (rc) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
        return its_fail(err, "The server %s does not answer: check the address and that the service "
                             "runs; nothing was lost, try again later.", c->url);
    case CURLE_PEER_FAILED_VERIFICATION:
        return its_fail(err, "The server %s could not be verified with the CA file %s: it is not the "
                             "server this CA vouches for, or the CA file is the wrong one.", c->url, c->ca);
    case CURLE_SSL_CACERT_BADFILE:
        return its_fail(err, "The CA file %s cannot be read or holds no certificate.", c->ca);
    case CURLE_OPERATION_TIMEDOUT:
        return its_fail(err, "The server %s did not answer in time; nothing was lost, try again later.",
                        c->url);
    case CURLE_WRITE_ERROR:
        if (b->too_big)
            return its_fail(err, "The server %s sent an answer larger than %u MiB; it was not read.",
                            c->url, LINK_REPLY_MAX >> 20);
        return its_fail_code(err, ITS_E_NO_MEMORY,
                             "The answer of the server %s could not be kept: out of memory.", c->url);
    default:
        return its_fail(err, "The connection to %s failed: %s; nothing was lost, try again later.", c->url,
                        errbuf[0] ? errbuf : curl_easy_strerror(rc));
    }
}

static void conn_setup(link_conn *c, const char *url, reply_buf *b, char *errbuf, struct curl_slist *hdr)
{
    CURL *h = c->curl;
    curl_easy_reset(h); /* keeps the live connection and TLS session, drops the old options */
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "https");
    curl_easy_setopt(h, CURLOPT_CAINFO, c->ca);
    curl_easy_setopt(h, CURLOPT_CAPATH, NULL); /* the CA file only: no system certificates */
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(h, CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 10L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, 300L);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, reply_write);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, b);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
}

int link_request(link_conn *c, const char *path, const char *body, size_t len, link_reply *r, its_err *err)
{
    memset(r, 0, sizeof *r);
    char url[LINK_URL_MAX + 256];
    snprintf(url, sizeof url, "%s%s", c->url, path);
    reply_buf b = {0};
    char errbuf[CURL_ERROR_SIZE] = "";
    struct curl_slist *hdr = curl_slist_append(NULL, "Content-Type: application/json");
    struct curl_slist *hdr2 = hdr ? curl_slist_append(hdr, "Expect:") : NULL; /* no 100-continue wait */
    if (!hdr2) {
        curl_slist_free_all(hdr);
        return its_fail_code(err, ITS_E_NO_MEMORY,
                             "The request to %s could not be made: out of memory.", c->url);
    }
    conn_setup(c, url, &b, errbuf, hdr2);
    if (body) {
        curl_easy_setopt(c->curl, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(c->curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
    }
    CURLcode rc = curl_easy_perform(c->curl);
    curl_slist_free_all(hdr2);
    if (rc != CURLE_OK) {
        free(b.data);
        return transfer_fail(c, rc, &b, errbuf, err);
    }
    curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, &r->status);
    r->body = b.data ? b.data : its_strdup("");
    r->len = b.len;
    if (!r->body)
        return its_fail_code(err, ITS_E_NO_MEMORY,
                             "The answer of the server %s could not be kept: out of memory.", c->url);
    return 0;
}

void link_reply_free(link_reply *r)
{
    free(r->body);
    memset(r, 0, sizeof *r);
}

int link_reply_error(const link_conn *c, const link_reply *r, const char *what, its_err *err)
{
    char sentence[400];
    if (!fleet_error_parse(r->body, r->len, sentence, sizeof sentence))
        snprintf(sentence, sizeof sentence, "it answered HTTP %ld without an explanation.", r->status);
    return its_fail(err, "%s %s refused: %s", what, c->url, sentence);
}
