/* libFuzzer target: any bytes as an upload batch (the server's parser), and as the other fleet
 * bodies a device or station reads (answer, pull page, pull request, keys bundle). Refusal is
 * fine; a crash, leak or undefined behaviour is not. A parsed batch is encoded and read again. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fleet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *body = (const char *)data;
    its_err err;
    fleet_batch b;
    if (fleet_batch_parse(body, size, &b, &err) == 0) {
        char *text = fleet_batch_encode(&b);
        fleet_batch again;
        if (!text || fleet_batch_parse(text, strlen(text), &again, &err) != 0 || again.n != b.n)
            abort(); /* what we wrote we must read */
        fleet_batch_free(&again);
        free(text);
        fleet_batch_free(&b);
    }
    fleet_answer a;
    if (fleet_answer_parse(body, size, &a, &err) == 0)
        fleet_answer_free(&a);
    fleet_pull_page p;
    if (fleet_page_parse(body, size, &p, &err) == 0)
        fleet_page_free(&p);
    fleet_pull_req r;
    if (fleet_pull_parse(body, size, &r, &err) == 0)
        (void)fleet_pull_verify(&r);
    fleet_bundle bundle;
    (void)fleet_bundle_parse(body, size, &bundle, &err);
    return 0;
}
