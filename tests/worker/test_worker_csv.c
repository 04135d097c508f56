/* CSV export: parse it back and compare with the payloads (quoting, UTF-8, commas, quotes and
 * line breaks in texts); the safe write: a read-only folder, a full disk and /dev/full give a
 * message and leave no file, complete or partial. */
#include <dirent.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "evidence.h"
#include "export.h"
#include "worker_test.h"

#define T0 1736503200LL

/* ---- a small RFC 4180 reader ---------------------------------------------------------------- */

typedef struct csv_table {
    char **cells; /* rows * cols */
    int rows, cols;
} csv_table;

/* Parses CRLF-separated records; every record must have the header's field count. */
static int csv_parse(const char *s, csv_table *t)
{
    memset(t, 0, sizeof *t);
    int cap = 0, n = 0, cols_now = 0;
    char *buf = malloc(strlen(s) + 1);
    while (*s) {
        size_t len = 0;
        if (*s == '"') {
            s++;
            for (;;) {
                if (!*s)
                    return -1;
                if (*s == '"' && s[1] == '"') {
                    buf[len++] = '"';
                    s += 2;
                } else if (*s == '"') {
                    s++;
                    break;
                } else
                    buf[len++] = *s++;
            }
        } else {
            while (*s && *s != ',' && *s != '\r' && *s != '\n') {
                if (*s == '"')
                    return -1; /* a quote inside an unquoted field */
                buf[len++] = *s++;
            }
        }
        buf[len] = '\0';
        if (n == cap) {
            cap = cap ? cap * 2 : 256;
            t->cells = realloc(t->cells, (size_t)cap * sizeof *t->cells);
        }
        t->cells[n++] = its_strdup(buf);
        cols_now++;
        if (*s == ',') {
            s++;
        } else if (*s == '\r' && s[1] == '\n') {
            s += 2;
            if (t->rows == 0)
                t->cols = cols_now;
            else if (cols_now != t->cols)
                return -1;
            t->rows++;
            cols_now = 0;
        } else if (*s) {
            return -1; /* bare LF or CR: not what we write */
        }
    }
    free(buf);
    return cols_now == 0 ? 0 : -1;
}

/* The value of a cell: the export puts a ' before a field that a spreadsheet could take for a
 * formula (and before one that begins with '); one leading ' is dropped. */
static const char *cell(const csv_table *t, int row, const char *column)
{
    for (int c = 0; c < t->cols; c++)
        if (!strcmp(t->cells[c], column)) {
            const char *v = t->cells[row * t->cols + c];
            return v[0] == '\'' ? v + 1 : v;
        }
    return NULL;
}

/* No raw cell begins with = + - @ tab or CR unless it is a plain (negative) number. */
static int formula_cells(const csv_table *t)
{
    int bad = 0;
    for (int i = 0; i < t->rows * t->cols; i++) {
        const char *v = t->cells[i];
        char *end;
        if (v[0] && strchr("=+-@\t\r", v[0]) && !(v[0] == '-' && strtod(v, &end) && !*end)) {
            fprintf(stderr, "  a cell a spreadsheet could run: %s\n", v);
            bad++;
        }
    }
    return bad;
}

static void csv_free(csv_table *t)
{
    for (int i = 0; i < t->rows * t->cols; i++)
        free(t->cells[i]);
    free(t->cells);
}

/* ---- round trip ------------------------------------------------------------------------------ */

/* The CSV's flag_details: each flag's stored evidence in the worker's words (evidence.h). */
static void compare_row(worker_session *ws, const csv_table *t, int row, json_t *res)
{
    const worker_entry *e = worker_entry_at(ws, worker_find(ws, cell(t, row, "record_id")));
    const qn *q = worker_session_qn(ws, e);
    int lang = q ? worker_session_lang(ws, q) : 0;
    CHECK_EQ_STR(cell(t, row, "client"), json_string_value(json_object_get(res, "client")));
    json_t *qo = json_object_get(res, "questionnaire");
    CHECK_EQ_STR(cell(t, row, "questionnaire_id"), json_string_value(json_object_get(qo, "id")));
    CHECK_EQ_STR(cell(t, row, "questionnaire_title"),
                 json_string_value(json_object_get(qo, "title")));
    CHECK_EQ_STR(cell(t, row, "completed"), json_string_value(json_object_get(res, "completed")));
    CHECK_EQ_STR(cell(t, row, "level"), json_string_value(json_object_get(res, "level")));
    char flags[128] = "", details[4096] = "";
    size_t i;
    json_t *f;
    json_array_foreach(json_object_get(res, "flags"), i, f)
    {
        its_appendf(flags, sizeof flags, "%s%s", i ? " " : "",
                    json_string_value(json_object_get(f, "rule")));
        char words[1024] = "";
        if (q)
            evidence_words(worker_session_words(ws), q, json_object_get(f, "evidence"), lang, words,
                           sizeof words);
        its_appendf(details, sizeof details, "%s%s: %s", i ? " | " : "",
                    json_string_value(json_object_get(f, "rule")), words);
    }
    CHECK_EQ_STR(cell(t, row, "flags"), flags);
    CHECK_EQ_STR(cell(t, row, "flag_details"), details);
    const char *id;
    json_t *v;
    json_object_foreach(json_object_get(res, "scores"), id, v)
    {
        char col[128];
        snprintf(col, sizeof col, "score.%s", id);
        const char *got = cell(t, row, col);
        json_t *value = json_object_get(v, "value");
        CHECK(got != NULL);
        if (got && value)
            CHECK_NEAR(strtod(got, NULL), json_number_value(value), 0.00005);
        else if (got)
            CHECK_EQ_STR(got, "");
        snprintf(col, sizeof col, "score.%s.status", id);
        CHECK_EQ_STR(cell(t, row, col), json_string_value(json_object_get(v, "status")));
    }
    json_object_foreach(json_object_get(res, "answers"), id, v)
    {
        char col[128], want[64];
        snprintf(col, sizeof col, "item.%s", id);
        if (json_is_string(v))
            its_strlcpy(want, json_string_value(v), sizeof want);
        else
            snprintf(want, sizeof want, "%lld", (long long)json_integer_value(v));
        CHECK_EQ_STR(cell(t, row, col), want);
    }
}

static void test_round_trip(worker_session *ws, json_t **res, char ids[][37], int n)
{
    int skipped = 0;
    char *text = wt_export_all(ws, export_csv, &skipped);
    CHECK(text != NULL);
    CHECK_EQ_INT(skipped, 0);
    if (!text)
        return;
    csv_table t;
    CHECK(csv_parse(text, &t) == 0);
    CHECK_EQ_INT(t.rows, n + 1);
    CHECK_EQ_INT(formula_cells(&t), 0);
    CHECK(t.cols > 13 + 9 * 5 + 40);
    CHECK_EQ_STR(t.cells[0], "record_id");
    for (int r = 1; r < t.rows; r++) {
        const char *id = cell(&t, r, "record_id");
        for (int k = 0; k < n; k++)
            if (!strcmp(id, ids[k]))
                compare_row(ws, &t, r, res[k]);
    }
    /* The odd client code is quoted, its quote doubled; Finnish letters are there as UTF-8. */
    CHECK(strstr(text, "\"Q\"\"1,2\nX\"") != NULL);
    /* Formula-shaped codes are neutralised with a leading ', inside the quotes when quoted. */
    CHECK(strstr(text, ",\"'=HYPERLINK(\"\"http://example.invalid\"\",\"\"x\"\")\",") != NULL);
    CHECK(strstr(text, ",'@SUM(A1:A9),") != NULL);
    CHECK(strstr(text, ",''quoted,") != NULL);
    CHECK(strstr(text, "kysymystä") != NULL);
    csv_free(&t);
    free(text);
}

/* ---- failures ------------------------------------------------------------------------------ */

static int files_in(const char *dir)
{
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *de;
    while (d && (de = readdir(d)))
        n += strcmp(de->d_name, ".") && strcmp(de->d_name, "..");
    if (d)
        closedir(d);
    return n;
}

static void export_all(worker_session *ws, const char *path, int *rc, its_err *err)
{
    int *rows;
    worker_counts c;
    worker_filter all = worker_filter_all();
    if (worker_list(ws, &all, &rows, &c, err) != 0) {
        *rc = -2;
        return;
    }
    *rc = export_run(ws, EXPORT_CSV, rows, c.shown, path, NULL, err);
    free(rows);
}

static void test_read_only(worker_session *ws, const char *base)
{
    char dir[600], path[700];
    snprintf(dir, sizeof dir, "%s/ro", base);
    mkdir(dir, 0700);
    bool mounted = geteuid() == 0 && mount("tmpfs", dir, "tmpfs", MS_RDONLY, "size=64k") == 0;
    if (!mounted && geteuid() == 0) {
        printf("read-only folder: skipped (root, and no read-only mount available)\n");
        return;
    }
    if (!mounted)
        chmod(dir, 0500);
    snprintf(path, sizeof path, "%s/export.csv", dir);
    its_err err = {0};
    int rc;
    export_all(ws, path, &rc, &err);
    CHECK_EQ_INT(rc, -1);
    CHECK(strstr(err.msg, "was not written") &&
          (strstr(err.msg, "read-only") || strstr(err.msg, "permission")));
    CHECK_EQ_INT(files_in(dir), 0);
    printf("read-only folder (%s): %s\n", mounted ? "read-only tmpfs" : "mode 0500", err.msg);
    if (mounted)
        umount(dir);
    chmod(dir, 0700);
}

static void test_full_tmpfs(worker_session *ws, const char *base)
{
    char dir[600], path[700];
    snprintf(dir, sizeof dir, "%s/tiny", base);
    mkdir(dir, 0700);
    if (geteuid() != 0 || mount("tmpfs", dir, "tmpfs", 0, "size=4k") != 0) {
        printf("full tmpfs: skipped (cannot mount one here)\n");
        return;
    }
    snprintf(path, sizeof path, "%s/export.csv", dir);
    its_err err = {0};
    int rc;
    export_all(ws, path, &rc, &err);
    CHECK_EQ_INT(rc, -1);
    CHECK(strstr(err.msg, "disk is full") != NULL);
    CHECK_EQ_INT(err.code, ITS_E_DISK_FULL);
    CHECK_EQ_INT(files_in(dir), 0);
    printf("full tmpfs: %s\n", err.msg);
    umount(dir);
}

/* A file size limit makes write() fail with EFBIG part-way, like a full disk, without root. */
static void test_size_limit(const char *data_dir, const char *base)
{
    char dir[600], path[700];
    snprintf(dir, sizeof dir, "%s/limited", base);
    mkdir(dir, 0700);
    snprintf(path, sizeof path, "%s/export.csv", dir);
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        its_err err = {0};
        worker_session *ws = wt_open(data_dir, TEST_PASS, &err);
        if (!ws)
            _exit(3);
        signal(SIGXFSZ, SIG_IGN);
        struct rlimit rl = {4096, 4096};
        setrlimit(RLIMIT_FSIZE, &rl);
        int rc;
        export_all(ws, path, &rc, &err);
        printf("file size limit: %s\n", err.msg);
        fflush(stdout);
        _exit(rc == -1 && strstr(err.msg, "disk is full") && err.code == ITS_E_DISK_FULL ? 0 : 4);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    CHECK_EQ_INT(files_in(dir), 0);
}

static void test_not_a_file(worker_session *ws, const char *base)
{
    its_err err = {0};
    int rc;
    struct stat before, after;
    CHECK(stat("/dev/full", &before) == 0);
    export_all(ws, "/dev/full", &rc, &err);
    CHECK_EQ_INT(rc, -1);
    CHECK(strstr(err.msg, "not an ordinary file") != NULL);
    CHECK(stat("/dev/full", &after) == 0 && S_ISCHR(after.st_mode) &&
          after.st_rdev == before.st_rdev);
    export_all(ws, base, &rc, &err); /* a folder */
    CHECK_EQ_INT(rc, -1);
    char missing[700];
    snprintf(missing, sizeof missing, "%s/no/such/folder/x.csv", base);
    export_all(ws, missing, &rc, &err);
    CHECK_EQ_INT(rc, -1);
    CHECK(strstr(err.msg, "does not exist") != NULL);
}

static void test_success_replaces(worker_session *ws, const char *base)
{
    char dir[600], path[700];
    snprintf(dir, sizeof dir, "%s/ok", base);
    mkdir(dir, 0700);
    snprintf(path, sizeof path, "%s/export.csv", dir);
    FILE *f = fopen(path, "w");
    fputs("old", f);
    fclose(f);
    its_err err = {0};
    int rc;
    export_all(ws, path, &rc, &err);
    CHECK_EQ_INT(rc, 0);
    CHECK_EQ_INT(files_in(dir), 1);
    struct stat st;
    CHECK(stat(path, &st) == 0 && (st.st_mode & 0777) == 0600 &&
          st.st_size > 4096); /* > the tiny tmpfs */
    /* Logged in the audit chain. */
    store_audit_entry *log;
    int n;
    CHECK(store_audit_list(worker_session_store(ws), &log, &n, &err) == 0);
    CHECK(n > 0 && !strcmp(log[n - 1].event, "export") &&
          strstr(log[n - 1].detail, "csv, 10 records to export.csv"));
    free(log);
}

int main(void)
{
    char base[512], dir[600];
    test_tmpdir(base);
    store *s = test_make_store(base, "csv", dir);
    qn *q36 = wt_questionnaire("whodas36-style"), *q12 = wt_questionnaire("whodas12-style");
    char a[400], ids[10][37];
    json_t *res[10];
    res[0] =
        wt_add_days(s, q36, "Q\"1,2\nX", T0, wt_same(a, sizeof a, 36, "3"), 1, 5, NULL, ids[0]);
    res[1] =
        wt_add(s, q36, "ÅÄÖ-ääkköset", T0 + 86400,
               "1 r 1 1 1 1  1 1 1 1 1  1 1 1 1  1 1 1 1 1  1 1 1 4  na na na na  1 1 1 1 1 1 1 x",
               0, NULL, ids[1]);
    res[2] = wt_add(s, q12, "B, \"quoted\"", T0 + 2 * 86400, "0 1 2 3 4 0 1 2 3 4 0 na", 0, NULL,
                    ids[2]);
    res[3] = wt_add(s, q12, " spaced ", T0 + 3 * 86400, "x x x x 1 1 1 1 1 1 1 1", 1, NULL, ids[3]);
    /* Client codes shaped as spreadsheet formulas (OWASP CSV injection) */
    static const char *const formulas[] = {"=HYPERLINK(\"http://example.invalid\",\"x\")",
                                           "@SUM(A1:A9)", "+358-1", "-2+3", "\tTAB", "'quoted"};
    for (int k = 0; k < 6; k++)
        res[4 + k] = wt_add(s, q12, formulas[k], T0 + (4 + k) * 86400, "1 1 1 1 1 1 1 1 1 1 1 1", 0,
                            NULL, ids[4 + k]);
    store_close(s);
    its_err err = {0};
    worker_session *ws = wt_open(dir, TEST_PASS, &err);
    CHECK(ws != NULL);
    if (ws) {
        test_round_trip(ws, res, ids, 10);
        test_read_only(ws, base);
        test_full_tmpfs(ws, base);
        test_not_a_file(ws, base);
        test_success_replaces(ws, base);
        worker_session_lock(ws);
    }
    test_size_limit(dir, base);
    for (int i = 0; i < 10; i++)
        json_decref(res[i]);
    qn_free(q36);
    qn_free(q12);
    test_rm_rf(base);
    return check_summary();
}
