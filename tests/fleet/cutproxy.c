/* cutproxy.c — a loopback TCP proxy for the fleet fault tests: it forwards connections from
 * 127.0.0.1:LISTEN to 127.0.0.1:TARGET and cuts the first CUTS of them after a random number of
 * bytes (both directions counted) below MAX, so an upload breaks at a random point of a batch:
 * in the request, in the server's work, or in the answer.
 *
 * usage: cutproxy LISTEN_PORT TARGET_PORT SEED CUTS MAX_BYTES
 *   LISTEN_PORT 0 picks a free port; the port is printed on stdout's first line. Runs until
 *   killed. One child process per connection; the parent draws each connection's cut point. */
#define _DEFAULT_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

static long number(const char *s)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (*s == '\0' || *end != '\0' || v < 0) {
        fprintf(stderr, "cutproxy: %s is not a whole number\n", s);
        exit(2);
    }
    return v;
}

static int connect_target(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((unsigned short)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a) != 0) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    return fd;
}

/* Copies both ways until one side closes or `cut` bytes passed (cut < 0: never). */
static void pump(int c, int t, long cut)
{
    struct pollfd p[2] = {{c, POLLIN, 0}, {t, POLLIN, 0}};
    char buf[16384];
    long passed = 0;
    for (;;) {
        if (poll(p, 2, -1) < 0 && errno != EINTR)
            return;
        for (int i = 0; i < 2; i++) {
            if (!(p[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            ssize_t n = read(p[i].fd, buf, sizeof buf);
            if (n <= 0)
                return;
            if (cut >= 0 && passed + n >= cut)
                n = cut - passed; /* pass what fits, then drop both ends */
            for (ssize_t off = 0; off < n;) {
                ssize_t w = write(p[1 - i].fd, buf + off, (size_t)(n - off));
                if (w <= 0)
                    return;
                off += w;
            }
            passed += n;
            if (cut >= 0 && passed >= cut)
                return;
        }
    }
}

int main(int argc, char **argv)
{
    if (argc != 6) {
        fprintf(stderr, "usage: cutproxy LISTEN_PORT TARGET_PORT SEED CUTS MAX_BYTES\n");
        return 2;
    }
    int lport = (int)number(argv[1]), tport = (int)number(argv[2]);
    srandom((unsigned)number(argv[3]));
    long cuts = number(argv[4]), max = number(argv[5]);
    signal(SIGCHLD, SIG_IGN);
    signal(SIGPIPE, SIG_IGN);
    int l = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((unsigned short)lport)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t al = sizeof a;
    if (l < 0 || bind(l, (struct sockaddr *)&a, sizeof a) != 0 || listen(l, 64) != 0 ||
        getsockname(l, (struct sockaddr *)&a, &al) != 0) {
        perror("cutproxy: listen");
        return 1;
    }
    printf("%d\n", ntohs(a.sin_port));
    fflush(stdout);
    for (long k = 0;; k++) {
        int c = accept(l, NULL, NULL);
        if (c < 0)
            continue;
        long cut = k < cuts ? 1 + random() % (max > 1 ? max : 1) : -1;
        pid_t pid = fork();
        if (pid == 0) {
            close(l);
            int t = connect_target(tport);
            if (t >= 0)
                pump(c, t, cut);
            _exit(0); /* closing both ends is the cut */
        }
        close(c);
    }
}
