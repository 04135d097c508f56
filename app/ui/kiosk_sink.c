/* kiosk_sink.c — see kiosk_sink.h. */
#include "kiosk_sink.h"

#include <stdlib.h>
#include <string.h>

#include "store.h"

void kiosk_sink_draft_free(char *data, size_t len)
{
    if (data)
        its_wipe(data, len);
    free(data);
}

/* ---- the store ---------------------------------------------------------------------------- */

typedef struct store_sink {
    kiosk_sink base;
    store *s;
    void (*after_save)(void *ctx);
    void *ctx;
} store_sink;

static store *store_of(kiosk_sink *k)
{
    return ((store_sink *)k)->s;
}

static int st_save_result(kiosk_sink *k, const char *payload, size_t len, char id[37],
                          its_err *err)
{
    store_sink *ss = (store_sink *)k;
    int rc = store_save_result(ss->s, (const unsigned char *)payload, len, id, err);
    if (rc == 0 && ss->after_save)
        ss->after_save(ss->ctx);
    return rc;
}

void kiosk_sink_store_after_save(kiosk_sink *k, void (*fn)(void *ctx), void *ctx)
{
    ((store_sink *)k)->after_save = fn;
    ((store_sink *)k)->ctx = ctx;
}

static int st_draft_save(kiosk_sink *k, const char *data, size_t len, its_err *err)
{
    return store_draft_save(store_of(k), (const unsigned char *)data, len, err);
}

/* The store hands out unsigned bytes freed with store_draft_free; the kiosk wants a
 * NUL-terminated copy it frees with kiosk_sink_draft_free. */
static int st_draft_load(kiosk_sink *k, char **data, size_t *len, its_err *err)
{
    unsigned char *raw = NULL;
    size_t n = 0;
    int rc = store_draft_load(store_of(k), &raw, &n, err);
    if (rc != 1)
        return rc;
    *data = malloc(n + 1);
    if (*data) {
        memcpy(*data, raw, n);
        (*data)[n] = '\0';
        *len = n;
    }
    store_draft_free(raw, n);
    return *data ? 1 : its_fail_code(err, ITS_E_NO_MEMORY, "out of memory");
}

static int st_draft_wipe(kiosk_sink *k, its_err *err)
{
    return store_draft_wipe(store_of(k), err);
}

static void st_close(kiosk_sink *k)
{
    free(k); /* the store itself belongs to the caller */
}

kiosk_sink *kiosk_sink_store(store *s)
{
    store_sink *k = calloc(1, sizeof *k);
    if (!k)
        return NULL;
    k->base = (kiosk_sink){st_save_result, st_draft_save,        st_draft_load,   st_draft_wipe,
                           st_close,       store_idle_seconds(s), store_device_id(s)};
    k->s = s;
    return &k->base;
}

/* ---- failing (tests) --------------------------------------------------------------------- */

typedef struct failing_sink {
    kiosk_sink base;
    kiosk_sink *inner;
} failing_sink;

static kiosk_sink *inner_of(kiosk_sink *k)
{
    return ((failing_sink *)k)->inner;
}

static int fail_save_result(kiosk_sink *k, const char *payload, size_t len, char id[37],
                            its_err *err)
{
    return its_fail(err, "saving is switched off for this test");
}

static int fail_draft_save(kiosk_sink *k, const char *data, size_t len, its_err *err)
{
    return inner_of(k)->draft_save(inner_of(k), data, len, err);
}

static int fail_draft_load(kiosk_sink *k, char **data, size_t *len, its_err *err)
{
    return inner_of(k)->draft_load(inner_of(k), data, len, err);
}

static int fail_draft_wipe(kiosk_sink *k, its_err *err)
{
    return inner_of(k)->draft_wipe(inner_of(k), err);
}

static void fail_close(kiosk_sink *k)
{
    inner_of(k)->close(inner_of(k));
    free(k);
}

kiosk_sink *kiosk_sink_failing(kiosk_sink *inner)
{
    failing_sink *k = calloc(1, sizeof *k);
    if (!k)
        return NULL;
    k->base = *inner;
    k->base.save_result = fail_save_result;
    k->base.draft_save = fail_draft_save;
    k->base.draft_load = fail_draft_load;
    k->base.draft_wipe = fail_draft_wipe;
    k->base.close = fail_close;
    k->inner = inner;
    return &k->base;
}
