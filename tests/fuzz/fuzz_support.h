/*
 * fuzz_support.h: what the libFuzzer harnesses share: a scratch directory
 * of their own, files written into it, and a loud stop when a property
 * does not hold.
 *
 * Each process makes one directory under $TMPDIR (or /tmp) on first use
 * and removes it, with the files the harness named, at exit. A harness
 * overwrites its files for every input instead of making new ones, so an
 * input costs a few system calls, not a mkdir and an rmdir.
 */
#ifndef DIVERT_FUZZ_SUPPORT_H
#define DIVERT_FUZZ_SUPPORT_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "divert/util.h"

/* A property failed: say which, then abort() so libFuzzer keeps the input. */
#define FUZZ_CHECK(cond, ...)                                                  \
    do {                                                                       \
        if (!(cond)) {                                                         \
            fprintf(stderr, "%s:%d: property failed: %s: ", __FILE__, __LINE__, \
                    #cond);                                                    \
            fprintf(stderr, __VA_ARGS__);                                      \
            fputc('\n', stderr);                                               \
            abort();                                                           \
        }                                                                      \
    } while (0)

enum { FUZZ_MAX_FILES = 8 };

static char fuzz_dir[4096];
static char *fuzz_files[FUZZ_MAX_FILES];   /* paths to remove at exit, heap */
static size_t fuzz_n_files;

static inline void fuzz_cleanup(void)
{
    for (size_t i = 0; i < fuzz_n_files; i++) {
        unlink(fuzz_files[i]);
        free(fuzz_files[i]);
    }
    fuzz_n_files = 0;
    if (fuzz_dir[0]) rmdir(fuzz_dir);
    fuzz_dir[0] = '\0';
}

/* The process's scratch directory, made on the first call. */
static inline const char *fuzz_scratch_dir(void)
{
    if (fuzz_dir[0]) return fuzz_dir;
    const char *tmp = getenv("TMPDIR");
    snprintf(fuzz_dir, sizeof fuzz_dir, "%s/divert-fuzz-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(fuzz_dir)) {
        perror("divert fuzz: mkdtemp");
        exit(1);
    }
    atexit(fuzz_cleanup);
    return fuzz_dir;
}

/* The path of name in the scratch directory (heap, the caller keeps it);
 * the file is removed at exit. */
static inline char *fuzz_path(const char *name)
{
    char *path = dv_xasprintf("%s/%s", fuzz_scratch_dir(), name);
    if (fuzz_n_files < FUZZ_MAX_FILES) fuzz_files[fuzz_n_files++] = dv_xstrdup(path);
    return path;
}

/* Replace the file's content with data. */
static inline void fuzz_write(const char *path, const void *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    if (!f) {
        perror(path);
        exit(1);
    }
    size_t written = len ? fwrite(data, 1, len, f) : 0;
    if (fclose(f) != 0 || written != len) {
        perror(path);
        exit(1);
    }
}

#endif
