/*
 * test_publish.c: the rule of divert stats --publish (publish.h): the k
 * threshold at k-1 and k, the dominance bound, the rounding, the "other"
 * row of a period, and a period withheld from one table because the other
 * suppresses value in it. The cells are made by hand; the adversarial run
 * of the whole command is tests/cli/check-publish.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "divert/publish.h"
#include "support.h"

/* n parties 1..n, each on chains carrying value v and one chain */
static dv_party_share *equal(size_t n, double v)
{
    dv_party_share *p = calloc(n + 1, sizeof *p);
    for (size_t i = 0; i < n; i++) p[i] = (dv_party_share){(uint32_t)(i + 1), v, 1};
    return p;
}

static void threshold_at_k_minus_1_and_k(void **state)
{
    (void)state;
    for (unsigned k = 2; k <= 7; k++) {
        dv_party_share *p = equal(k, 100);
        /* every chain has all of them: each is on the whole value, so make
         * their shares small by a cell value k times theirs */
        assert_int_equal(dv_publish_judge(p, k - 1, 100.0 * k, 10, k), DV_PUBLISH_FEW);
        assert_int_equal(dv_publish_judge(p, k, 100.0 * k, 10, k), DV_PUBLISH_OK);
        free(p);
    }
}

static void one_party_above_the_bound_dominates(void **state)
{
    (void)state;
    dv_party_share p[5] = {{1, 51, 1}, {2, 10, 1}, {3, 10, 1}, {4, 10, 1}, {5, 19, 1}};
    assert_int_equal(dv_publish_judge(p, 5, 100, 5, 5), DV_PUBLISH_DOMINATED);
    p[0].value = 50; /* at the bound: not above it */
    assert_int_equal(dv_publish_judge(p, 5, 100, 5, 5), DV_PUBLISH_OK);
    /* a party on every chain of the cell is on all its value */
    p[2].value = 100;
    assert_int_equal(dv_publish_judge(p, 5, 100, 5, 5), DV_PUBLISH_DOMINATED);
    /* without values, by chains: 3 of 5 chains is above half */
    dv_party_share q[5] = {{1, 0, 3}, {2, 0, 1}, {3, 0, 1}, {4, 0, 1}, {5, 0, 1}};
    assert_int_equal(dv_publish_judge(q, 5, 0, 5, 5), DV_PUBLISH_DOMINATED);
    q[0].chains = 2;
    assert_int_equal(dv_publish_judge(q, 5, 0, 5, 5), DV_PUBLISH_OK);
}

static void counts_and_values_are_rounded(void **state)
{
    (void)state;
    const unsigned long long in[] = {0, 1, 2, 3, 7, 8, 12, 13, 1234};
    const unsigned long long out[] = {0, 5, 5, 5, 5, 10, 10, 15, 1235};
    for (size_t i = 0; i < sizeof in / sizeof *in; i++)
        assert_int_equal(dv_publish_count(in[i]), out[i]);
    assert_true(dv_publish_value(123456) == 120000);
    assert_true(dv_publish_value(987) == 990);
    assert_true(fabs(dv_publish_value(0.0345) - 0.035) < 1e-12);
    assert_true(dv_publish_value(0) == 0);
    assert_true(isnan(dv_publish_value(NAN)));
    char band[32];
    dv_publish_band(0, 100, band), assert_string_equal(band, "0%");
    dv_publish_band(3, 100, band), assert_string_equal(band, "under 10%");
    dv_publish_band(25, 100, band), assert_string_equal(band, "20-30%");
    dv_publish_band(100, 100, band), assert_string_equal(band, "90-100%");
}

/* A corridor row of period with these parties. */
static dv_corridor corridor(int period, const char *path, dv_party_share *p, size_t n,
                            double value)
{
    dv_corridor c = {0};
    c.period = period;
    c.path = path;
    c.chains = n;
    c.value = value;
    c.parties = p;
    c.n_parties = n;
    return c;
}

static void failing_cells_merge_into_other_or_are_suppressed(void **state)
{
    (void)state;
    /* period 1: A passes (5 parties at 20 each); B has 2 parties (too few),
     * C 5 parties of which one is on 60 of 100; B and C together have 7
     * parties, the largest on 60 of 140: "other" passes. Period 2: D alone
     * fails, and its "other" is D again: suppressed. */
    dv_party_share a[5] = {{1, 20, 1}, {2, 20, 1}, {3, 20, 1}, {4, 20, 1}, {5, 20, 1}};
    dv_party_share b[2] = {{6, 40, 1}, {7, 40, 1}};
    dv_party_share c[5] = {{8, 60, 1}, {9, 10, 1}, {10, 10, 1}, {11, 10, 1}, {12, 10, 1}};
    dv_party_share d[5] = {{1, 900, 1}, {2, 10, 1}, {3, 10, 1}, {4, 10, 1}, {5, 10, 1}};
    dv_corridor rows[4] = {corridor(1, "DE>AM>RU", a, 5, 100), corridor(1, "DE>GE>RU", b, 2, 40),
                           corridor(1, "FR>AM>RU", c, 5, 100), corridor(2, "DE>AM>RU", d, 5, 940)};
    dv_stats st = {0};
    st.corridors = rows;
    st.n_corridors = 4;
    dv_publish pub = {0};
    dv_publish_compute(&st, 5, &pub);
    assert_int_equal(pub.n_corridors, 2);
    assert_string_equal(pub.corridors[0].key, "DE>AM>RU");
    assert_false(pub.corridors[0].other);
    assert_true(pub.corridors[0].value == 100);
    assert_string_equal(pub.corridors[1].key, "other");
    assert_true(pub.corridors[1].other);
    assert_true(pub.corridors[1].value == 140);
    assert_int_equal(pub.corridors[1].chains, 5); /* 7 rounded */
    const dv_pub_tally *t = &pub.corridor_tally;
    assert_int_equal(t->cells, 4);
    assert_int_equal(t->published, 1);
    assert_int_equal(t->merged, 2);
    assert_int_equal(t->suppressed, 1);
    assert_true(t->suppressed_value == 940);
    assert_true(t->merged_value == 140);
    dv_publish_free(&pub);
    /* with k = 12, A fails too, and "other" of period 1 has A, B and C: 12
     * parties, the largest on 60 of 240: published */
    dv_publish_compute(&st, 12, &pub);
    assert_int_equal(pub.n_corridors, 1);
    assert_true(pub.corridors[0].other && pub.corridors[0].value == 240);
    assert_int_equal(pub.corridor_tally.merged, 3);
    dv_publish_free(&pub);
    /* with k = 13 (k - 1 = 12 parties in it), that "other" fails as well */
    dv_publish_compute(&st, 13, &pub);
    assert_int_equal(pub.n_corridors, 0);
    assert_int_equal(pub.corridor_tally.suppressed, 4);
    dv_publish_free(&pub);
}

static void a_period_suppressed_in_one_table_is_withheld_from_the_other(void **state)
{
    (void)state;
    /* corridors of period 1: one dominated cell, suppressed; trends of
     * period 1 pass, and would give the period's total: withheld */
    dv_party_share d[5] = {{1, 900, 1}, {2, 10, 1}, {3, 10, 1}, {4, 10, 1}, {5, 10, 1}};
    dv_party_share e[5] = {{1, 20, 1}, {2, 20, 1}, {3, 20, 1}, {4, 20, 1}, {5, 20, 1}};
    dv_corridor c = corridor(1, "DE>AM>RU", d, 5, 940);
    dv_trend t = {0};
    t.period = 1;
    t.category = "cars";
    memcpy(t.transit, "AM", 3);
    t.chains = 5;
    t.unflagged_value = 100;
    t.parties = e;
    t.n_parties = 5;
    dv_trend t2 = t;
    t2.period = 2;
    dv_trend trends[2] = {t, t2};
    dv_stats st = {0};
    st.corridors = &c;
    st.n_corridors = 1;
    st.trends = trends;
    st.n_trends = 2;
    dv_publish pub = {0};
    dv_publish_compute(&st, 5, &pub);
    assert_int_equal(pub.n_corridors, 0);
    assert_int_equal(pub.n_trends, 1);
    assert_int_equal(pub.trends[0].period, 2);
    assert_int_equal(pub.trend_tally.withheld_periods, 1);
    assert_int_equal(pub.trend_tally.suppressed, 1);
    assert_int_equal(pub.trend_tally.published, 1);
    dv_publish_free(&pub);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(threshold_at_k_minus_1_and_k),
        cmocka_unit_test(one_party_above_the_bound_dominates),
        cmocka_unit_test(counts_and_values_are_rounded),
        cmocka_unit_test(failing_cells_merge_into_other_or_are_suppressed),
        cmocka_unit_test(a_period_suppressed_in_one_table_is_withheld_from_the_other),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
