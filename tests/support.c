/*
 * support.c: temporary datasets and whole scans for the unit tests.
 */
#define _POSIX_C_SOURCE 200809L
#include "support.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* DE strong, CH strong, AE weak hub, KZ weak hub, RS weak (0.45, no hub),
 * RU embargoed, CN elevated weak hub, FR strong. Scores with the default
 * weights: DE 0.95, CH 0.96, FR 0.93, AE 0.46, KZ 0.34, RS 0.45, RU 0.25,
 * CN 0.42. */
const char *const dvt_countries_csv =
    "code,name,rule_of_law,data_protection,civil_liberties,regimes,hub,destination\n"
    "DE,Germany,0.90,1,0.94,WA;AG;NSG;MTCR,0,none\n"
    "CH,Switzerland,0.90,1,0.96,WA;AG;NSG;MTCR,0,none\n"
    "FR,France,0.86,1,0.89,WA;AG;NSG;MTCR,0,none\n"
    "AE,United Arab Emirates,0.774,1,0.18,,1,none\n"
    "KZ,Kazakhstan,0.40,1,0.23,,1,none\n"
    "RS,Serbia,0.50,1,0.62,,0,none\n"
    "RU,Russia,0.20,1,0.16,,0,embargoed\n"
    "CN,China,0.50,1,0.09,NSG,1,elevated\n";

const char *const dvt_items_csv =
    "code,description,control,category,sensitivity\n"
    "3A981,fingerprint analysers,3A981,fingerprint,0.9\n"
    "3D980,AFIS software,3D980,software,0.8\n"
    "852589,camera,EAR99,camera,0.2\n";

const char *const dvt_hr_entities_csv =
    "id,name,role,country,sector\n"
    "M,Maker GmbH,manufacturer,DE,commercial\n"
    "H,Hub Trading FZE,intermediary,AE,commercial\n"
    "PK,Almaty City Police,end_user,KZ,police\n"
    "HK,Almaty Central Hospital,end_user,KZ,health\n"
    "PS,Belgrade Police,end_user,RS,police\n"
    "B,Belgrade Systems,distributor,RS,commercial\n"
    "RH,Moscow Clinic,end_user,RU,health\n"
    "RP,Moscow Police,end_user,RU,police\n"
    "QP,Nowhere Police,end_user,QQ,police\n";

const char *const dvt_hr_items_csv =
    "code,description,control,category,sensitivity,human_rights\n"
    "3A981,fingerprint analysers,3A981,fingerprint,0.9,1\n"
    "5A002,encryption items,5A002,crypto,0.5,0\n"
    "852589,face recognition system,EAR99,camera,0.3,1\n"
    "847190,iris scanner module,EAR99,iris,0.4,0\n";

void dvt_hr_scan(dv_pipeline *s, const char *shipments, const char *licences,
                 const char *watchlist, const dv_config *cfg)
{
    char *dir = dvt_dataset("entities.csv", dvt_hr_entities_csv, "shipments.csv", shipments,
                            "countries.csv", dvt_countries_csv, "items.csv", dvt_hr_items_csv,
                            NULL);
    if (licences) dvt_write(dir, "licenses.csv", licences, strlen(licences));
    if (watchlist) dvt_write(dir, "watchlist.csv", watchlist, strlen(watchlist));
    dvt_scan_run(s, dir, cfg);
    dvt_remove(dir);
}

void dvt_write(const char *dir, const char *name, const void *data, size_t len)
{
    char *path = dv_xasprintf("%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    fclose(f);
    free(path);
}

char *dvt_dataset(const char *name, ...)
{
    char tmpl[] = "/tmp/divert-test-XXXXXX";
    char *dir = mkdtemp(tmpl);
    assert_non_null(dir);
    dir = dv_xstrdup(dir);
    va_list ap;
    va_start(ap, name);
    for (const char *n = name; n; n = va_arg(ap, const char *)) {
        const char *text = va_arg(ap, const char *);
        dvt_write(dir, n, text, strlen(text));
    }
    va_end(ap);
    return dir;
}

void dvt_remove(char *dir)
{
    if (!dir) return;
    DIR *d = opendir(dir);
    if (d) {
        struct dirent *e;
        while ((e = readdir(d))) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
            char *p = dv_xasprintf("%s/%s", dir, e->d_name);
            struct stat st;
            if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode)) dvt_remove(dv_xstrdup(p));
            else unlink(p);
            free(p);
        }
        closedir(d);
    }
    rmdir(dir);
    free(dir);
}

void dvt_load(dv_dataset *ds, const char *dir, const dv_config *cfg, int expect_status,
              dv_error *err)
{
    dv_config defaults;
    if (!cfg) {
        dv_config_defaults(&defaults);
        cfg = &defaults;
    }
    dv_load_options opt = {.max_field_bytes = cfg->max_field_bytes, .max_fields = cfg->max_fields};
    dv_error local = {0, ""};
    if (!err) err = &local;
    int rc = dv_dataset_load(ds, dir, &opt, err);
    if (rc != expect_status) fail_msg("load of %s returned %d (%s)", dir, rc, err->msg);
}

void dvt_scan_run(dv_pipeline *s, const char *dir, const dv_config *cfg)
{
    dv_config defaults;
    if (!cfg) {
        dv_config_defaults(&defaults);
        cfg = &defaults;
    }
    dv_pipeline_init(s, cfg, NULL);
    dv_error err = {0, ""};
    int rc = dv_pipeline_run(s, dir, DV_STAGE_DETECT, &err);
    if (rc) fail_msg("scan of %s returned %d (%s)", dir, rc, err.msg);
}

void dvt_scan_free(dv_pipeline *s)
{
    dv_pipeline_free(s);
}

const char *dvt_path(const dv_pipeline *s, const dv_alert *a)
{
    static char buf[1024];
    size_t n = 0;
    buf[0] = '\0';
    for (int h = 0; h <= a->hops; h++)
        n += (size_t)snprintf(buf + n, sizeof buf - n, "%s%s", h ? ">" : "",
                              s->ds.entities[a->path[h]].id);
    return buf;
}

const dv_alert *dvt_find(const dv_pipeline *s, const char *path)
{
    for (size_t i = 0; i < s->result.n_alerts; i++)
        if (!strcmp(dvt_path(s, &s->result.alerts[i]), path)) return &s->result.alerts[i];
    return NULL;
}

char *dvt_data(const char *rel)
{
    const char *root = getenv("DIVERT_TEST_DATA");
    if (!root) root = "tests/data";
    return dv_xasprintf("%s/%s", root, rel);
}

double dvt_screen_threshold(void)
{
    dv_config cfg;
    dv_config_defaults(&cfg);
    return cfg.screen_threshold;
}
