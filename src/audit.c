/*
 * audit.c: the hash chain of the store's audit log (audit.h).
 */
#include "divert/audit.h"

#include <sodium.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>

static const char zero_hash[65] =
    "0000000000000000000000000000000000000000000000000000000000000000";

static void feed(crypto_hash_sha256_state *st, const char *field)
{
    char len[24];
    size_t n = field ? strlen(field) : 0;
    int k = snprintf(len, sizeof len, "%zu:", n);
    crypto_hash_sha256_update(st, (const unsigned char *)len, (unsigned long long)k);
    if (n) crypto_hash_sha256_update(st, (const unsigned char *)field, n);
    crypto_hash_sha256_update(st, (const unsigned char *)"\n", 1);
}

void dv_audit_hash(long long seq, const char *time, const char *actor, const char *action,
                   const char *subject, const char *detail, const char *prev, char out[65])
{
    static const char tag[] = "divert-audit-1\n";
    crypto_hash_sha256_state st;
    crypto_hash_sha256_init(&st);
    crypto_hash_sha256_update(&st, (const unsigned char *)tag, sizeof tag - 1);
    char num[24];
    snprintf(num, sizeof num, "%lld", seq);
    const char *fields[] = {num, time, actor, action, subject, detail, prev};
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) feed(&st, fields[i]);
    unsigned char h[crypto_hash_sha256_BYTES];
    crypto_hash_sha256_final(&st, h);
    static const char digits[] = "0123456789abcdef";
    for (size_t i = 0; i < sizeof h; i++) {
        out[2 * i] = digits[h[i] >> 4];
        out[2 * i + 1] = digits[h[i] & 15];
    }
    out[64] = 0;
}

/* The head the meta table keeps: seq 0 and zeros for an empty log. */
static int read_head(dv_store *s, long long *seq, char hash[65], dv_error *err)
{
    sqlite3 *db = dv_store_db(s);
    sqlite3_stmt *st;
    *seq = 0;
    memcpy(hash, zero_hash, 65);
    if (sqlite3_prepare_v2(db, "SELECT key, value FROM meta WHERE key IN ('audit_head_seq', 'audit_head')",
                           -1, &st, NULL) != SQLITE_OK)
        return dv_store_fail(s, err, "reading the audit head");
    while (sqlite3_step(st) == SQLITE_ROW) {
        const char *k = (const char *)sqlite3_column_text(st, 0);
        const char *v = (const char *)sqlite3_column_text(st, 1);
        if (!k || !v) continue;
        if (!strcmp(k, "audit_head_seq")) *seq = sqlite3_column_int64(st, 1);
        else if (strlen(v) == 64) memcpy(hash, v, 65);
    }
    sqlite3_finalize(st);
    return 0;
}

int dv_audit_append(dv_store *s, const char *actor, const char *action, const char *subject,
                    const char *detail, long long *seq_out, dv_error *err)
{
    long long seq;
    char prev[65], time[21], hash[65];
    if (read_head(s, &seq, prev, err)) return err->code;
    seq++;
    dv_store_now(time);
    dv_audit_hash(seq, time, actor, action, subject, detail, prev, hash);
    sqlite3 *db = dv_store_db(s);
    char *sql = sqlite3_mprintf(
        "INSERT INTO audit(seq, time, actor, action, subject, detail, prev, hash) "
        "VALUES(%lld, %Q, %Q, %Q, %Q, %Q, %Q, %Q);"
        "INSERT OR REPLACE INTO meta VALUES('audit_head_seq', '%lld'), ('audit_head', %Q);",
        seq, time, actor, action, subject, detail, prev, hash, seq, hash);
    int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
    sqlite3_free(sql);
    if (rc != SQLITE_OK) return dv_store_fail(s, err, "appending to the audit log");
    if (seq_out) *seq_out = seq;
    return 0;
}

int dv_audit_verify(dv_store *s, dv_audit_check *chk, dv_error *err)
{
    memset(chk, 0, sizeof *chk);
    memcpy(chk->head, zero_hash, 65);
    long long meta_seq;
    char meta_head[65];
    if (read_head(s, &meta_seq, meta_head, err)) return err->code;
    sqlite3 *db = dv_store_db(s);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db,
                           "SELECT seq, time, actor, action, subject, detail, prev, hash FROM audit "
                           "ORDER BY seq",
                           -1, &st, NULL) != SQLITE_OK)
        return dv_store_fail(s, err, "reading the audit log");
    char prev[65];
    memcpy(prev, zero_hash, 65);
    long long expect = 1;
    int rc;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        long long seq = sqlite3_column_int64(st, 0);
        const char *f[7];
        for (int i = 0; i < 7; i++) f[i] = (const char *)sqlite3_column_text(st, i + 1);
        chk->entries++;
        char want[65];
        if (seq != expect) {
            chk->bad_seq = seq;
            snprintf(chk->why, sizeof chk->why,
                     seq > expect ? "entries %lld to %lld are missing before it"
                                  : "its number repeats or goes back (expected %lld)",
                     expect, seq - 1);
            break;
        }
        if (!f[5] || strcmp(f[5], prev)) {
            chk->bad_seq = seq;
            snprintf(chk->why, sizeof chk->why,
                     "its link to the entry before does not match that entry's hash (an entry "
                     "before it was changed, removed or inserted)");
            break;
        }
        dv_audit_hash(seq, f[0], f[1], f[2], f[3], f[4], f[5], want);
        if (!f[6] || strcmp(f[6], want)) {
            chk->bad_seq = seq;
            snprintf(chk->why, sizeof chk->why,
                     "its content does not match its hash (the entry was altered)");
            break;
        }
        memcpy(prev, want, 65);
        chk->head_seq = seq;
        memcpy(chk->head, want, 65);
        expect = seq + 1;
    }
    bool read_all = rc == SQLITE_DONE || chk->bad_seq;
    sqlite3_finalize(st);
    if (!read_all) return dv_store_fail(s, err, "reading the audit log");
    if (!chk->bad_seq && (meta_seq != chk->head_seq || strcmp(meta_head, chk->head))) {
        chk->bad_seq = meta_seq > chk->head_seq ? chk->head_seq + 1 : meta_seq ? meta_seq : 1;
        snprintf(chk->why, sizeof chk->why,
                 meta_seq > chk->head_seq
                     ? "the store's head says the log runs to entry %lld, but it ends at %lld "
                       "(the newest entries were removed)"
                     : "the store's head (entry %lld) does not match the log's last entry %lld",
                 meta_seq, chk->head_seq);
    }
    return 0;
}
