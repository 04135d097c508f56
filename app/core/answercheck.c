/* answercheck.c — see answercheck.h. */
#include "answercheck.h"

#include "util.h"

/* The sum of items' values; false when one is not shown or has no value. */
static bool sum_values(const qn_session *s, const int *items, int n, int *sum)
{
    *sum = 0;
    for (int i = 0; i < n; i++) {
        qn_answer a = session_effective(s, items[i]);
        if (a.state != QN_ANS_VALUE)
            return false;
        *sum += a.value;
    }
    return true;
}

int answercheck_run(const qn_session *s, answercheck_hit *out, int max)
{
    int n = 0;
    for (int c = 0; c < s->q->n_checks && n < max; c++) {
        const qn_check *k = &s->q->checks[c];
        answercheck_hit h = {.check = c, .limit = k->at_most};
        if (!sum_values(s, k->items, k->n_items, &h.sum) ||
            (k->n_than > 0 && !sum_values(s, k->than, k->n_than, &h.limit)))
            continue;
        if (h.sum > h.limit)
            out[n++] = h;
    }
    return n;
}

bool answercheck_names_item(const qn *q, int check, int item)
{
    const qn_check *k = &q->checks[check];
    for (int i = 0; i < k->n_items; i++)
        if (k->items[i] == item)
            return true;
    for (int i = 0; i < k->n_than; i++)
        if (k->than[i] == item)
            return true;
    return false;
}

/* "H2 + H3 = 35" (or "H1 = 10" for one item) appended to out. */
static void side_words(const qn *q, const int *items, int n, int sum, char *out, size_t size)
{
    for (int i = 0; i < n; i++)
        its_appendf(out, size, "%s%s", i ? " + " : "", q->items[items[i]].id);
    its_appendf(out, size, " = %d", sum);
}

void answercheck_words(const qn *q, const answercheck_hit *h, int lang, char *out, size_t n)
{
    const qn_check *k = &q->checks[h->check];
    its_strlcpy(out, qn_text_get(&k->short_text, lang), n);
    its_appendf(out, n, ": ");
    side_words(q, k->items, k->n_items, h->sum, out, n);
    if (k->n_than > 0) {
        its_appendf(out, n, " > ");
        side_words(q, k->than, k->n_than, h->limit, out, n);
    } else {
        its_appendf(out, n, " > %d", h->limit);
    }
}
