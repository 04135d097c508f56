/* clientcode.c — see clientcode.h. */
#include "clientcode.h"

#include <ctype.h>
#include <string.h>

enum { MOD = 31 };

static int symbol_value(char c)
{
    const char *p = strchr(CLIENTCODE_ALPHABET, c);
    return (c && p) ? (int)(p - CLIENTCODE_ALPHABET) : -1;
}

/* The check value makes sum(i * v_i, i = 1..7) divisible by 31. 7 * 9 = 63 = 1 (mod 31), so the
 * inverse of the weight 7 is 9. */
char clientcode_check_char(const char payload[6])
{
    int sum = 0;
    for (int i = 0; i < 6; i++) {
        int v = symbol_value(payload[i]);
        if (v < 0)
            return 0;
        sum += (i + 1) * v;
    }
    int check = ((MOD - sum % MOD) % MOD) * 9 % MOD;
    return CLIENTCODE_ALPHABET[check];
}

bool clientcode_valid(const char *code, char out[CLIENTCODE_LEN + 1])
{
    int n = 0;
    for (const char *p = code; *p; p++) {
        if (*p == '-' || *p == ' ')
            continue;
        if (n == CLIENTCODE_LEN)
            return false;
        out[n++] = (char)toupper((unsigned char)*p);
    }
    out[n] = '\0';
    if (n != CLIENTCODE_LEN)
        return false;
    return clientcode_check_char(out) == out[6];
}

void clientcode_make(uint32_t random_bits, char out[CLIENTCODE_LEN + 1])
{
    for (int i = 0; i < 6; i++) {
        out[i] = CLIENTCODE_ALPHABET[random_bits % MOD];
        random_bits /= MOD;
    }
    out[6] = clientcode_check_char(out);
    out[7] = '\0';
}

static int two_digits(const char *p)
{
    if (!isdigit((unsigned char)p[0]) || !isdigit((unsigned char)p[1]))
        return -1;
    return (p[0] - '0') * 10 + (p[1] - '0');
}

static int century_of(char sign)
{
    if (sign == '+')
        return 1800;
    if (strchr("-YXWVU", sign))
        return 1900;
    if (strchr("ABCDEF", sign))
        return 2000;
    return -1;
}

static bool date_valid(int day, int month, int year)
{
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (month < 1 || month > 12 || day < 1)
        return false;
    bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    int max = days[month - 1] + (month == 2 && leap);
    return day <= max;
}

bool hetu_valid(const char *h)
{
    if (!h || strlen(h) != 11 || h[6] == '\0')
        return false;
    int day = two_digits(h), month = two_digits(h + 2), yy = two_digits(h + 4);
    int century = century_of(h[6]);
    if (day < 0 || month < 0 || yy < 0 || century < 0 || !date_valid(day, month, century + yy))
        return false;
    long number = 0;
    for (int i = 0; i < 11; i++) {
        if (i == 6 || i == 10)
            continue;
        if (!isdigit((unsigned char)h[i]))
            return false;
        number = number * 10 + (h[i] - '0');
    }
    int individual = (h[7] - '0') * 100 + (h[8] - '0') * 10 + (h[9] - '0');
    if (individual < 2)
        return false; /* 000 and 001 are never issued */
    return "0123456789ABCDEFHJKLMNPRSTUVWXY"[number % 31] == h[10];
}
