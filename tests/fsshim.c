/*
 * fsshim.c: an LD_PRELOAD library for the command-line tests that makes
 * the file system under divert behave like others it may meet, chosen by
 * environment variables:
 *
 *   DIVERT_SHIM_RENAME_DELAY_MS=N   every rename first waits a random time
 *                                   up to N ms, as on a slow network file
 *                                   system: the renames of two runs'
 *                                   commits then interleave when nothing
 *                                   keeps them apart (check-concurrent)
 *   DIVERT_SHIM_NO_LINK=1           link and linkat fail with EPERM, as on
 *                                   vfat, exFAT and some network mounts
 *                                   (check-no-hard-links)
 *
 * It is built without sanitizers: it is preloaded into sanitized builds
 * too (with ASAN_OPTIONS=verify_asan_link_order=0).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static void rename_delay(void)
{
    static unsigned seed;
    const char *ms = getenv("DIVERT_SHIM_RENAME_DELAY_MS");
    long most = ms ? strtol(ms, NULL, 10) : 0;
    if (most <= 0) return;
    if (!seed) seed = (unsigned)getpid() * 2654435761u + (unsigned)time(NULL);
    seed = seed * 1103515245u + 12345u;
    long us = (long)((seed >> 8) % (unsigned long)(most * 1000 + 1));
    struct timespec t = {us / 1000000, (us % 1000000) * 1000L};
    while (nanosleep(&t, &t) != 0 && errno == EINTR) {
    }
}

/* Point *fn at the next definition of name (libc's); a function pointer
 * is copied out of dlsym's object pointer, which ISO C does not convert. */
static void next(void *fn, size_t size, const char *name)
{
    void *f = dlsym(RTLD_NEXT, name);
    if (!f || size != sizeof f) {
        fprintf(stderr, "fsshim: no %s to wrap\n", name);
        abort();
    }
    memcpy(fn, &f, sizeof f);
}

int rename(const char *from, const char *to)
{
    static int (*real)(const char *, const char *);
    if (!real) next(&real, sizeof real, "rename");
    rename_delay();
    return real(from, to);
}

int renameat(int from_dir, const char *from, int to_dir, const char *to)
{
    static int (*real)(int, const char *, int, const char *);
    if (!real) next(&real, sizeof real, "renameat");
    rename_delay();
    return real(from_dir, from, to_dir, to);
}

/* link and linkat, failing where DIVERT_SHIM_NO_LINK is set. */
static bool no_link(void)
{
    const char *v = getenv("DIVERT_SHIM_NO_LINK");
    if (!v || strcmp(v, "1") != 0) return false;
    errno = EPERM;
    return true;
}

int link(const char *from, const char *to)
{
    static int (*real)(const char *, const char *);
    if (no_link()) return -1;
    if (!real) next(&real, sizeof real, "link");
    return real(from, to);
}

int linkat(int from_dir, const char *from, int to_dir, const char *to, int flags)
{
    static int (*real)(int, const char *, int, const char *, int);
    if (no_link()) return -1;
    if (!real) next(&real, sizeof real, "linkat");
    return real(from_dir, from, to_dir, to, flags);
}
