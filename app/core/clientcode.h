/* clientcode.h — client codes with a check character, and the Finnish personal identity code
 * (henkilötunnus) check for clinics that turn it on.
 *
 * A client code is six characters from an alphabet without look-alikes (no O/0, I/1) plus one
 * check character; dashes and spaces are ignored when typed. The weighted sum of all seven
 * values is 0 modulo 31 (a prime), so a single mistyped character or two swapped neighbours are
 * always caught. */
#ifndef ITS_CLIENTCODE_H
#define ITS_CLIENTCODE_H

#include <stdbool.h>
#include <stdint.h>

#define CLIENTCODE_LEN 7            /* six payload characters + check character */
#define CLIENTCODE_ALPHABET "23456789ABCDEFGHJKLMNPQRSTUVWXY" /* 31 symbols: a prime count */

/* Normalises (upper case, dashes and spaces dropped) into out[CLIENTCODE_LEN + 1] and checks it. */
bool clientcode_valid(const char *code, char out[CLIENTCODE_LEN + 1]);

/* Makes a valid code from random bits (the caller supplies the randomness). */
void clientcode_make(uint32_t random_bits, char out[CLIENTCODE_LEN + 1]);

/* The check character for six payload characters, or 0 if one is not in the alphabet. */
char clientcode_check_char(const char payload[6]);

/* Validates a henkilötunnus: format, century sign, calendar date and check character. */
bool hetu_valid(const char *hetu);

#endif
