package store_test

import (
	"context"
	"testing"
	"time"

	"liangze"
	"liangze/store"
	"liangze/store/storetest"
)

// volumeSQL grows the demo tree to 2,000 units and adds 1,000,000 cases decided in 2026 Q1,
// each with one decision and one finding; one in ten was traced to a first level, one in
// fifty to a second.
const volumeSQL = `
insert into people (id, name) select gen_random_uuid(), 'p' || i from generate_series(1, 5000) i;
with towns as (select array_agg(id) a from org_units where kind = 'town')
insert into org_units (id, code, name_zh, name_en, kind, parent_id, path, depth, party_body, discipline_body)
select id, 'sub' || i, '单位' || i, 'unit ' || i, 'subordinate', parent, (select path from org_units where id = parent) || id || '/', 2, '党支部', '纪检委员'
from (select gen_random_uuid() id, i, towns.a[1 + i % 3] parent from generate_series(1, 1993) i, towns) s;
with us as (select array_agg(id) a from org_units), ps as (select array_agg(id) a from people),
     who as (select id from users where username = 'inspector')
insert into cases (id, workflow_id, unit_id, person_id, clue_source, summary, category, violation_date, stage, outcome,
                   opened_by, opened_at, closed_at)
select gen_random_uuid(), 'bench/' || i, us.a[1 + i % 2000], ps.a[1 + i % 5000], 'x', 'x', 'x', '2025-06-01', 'closed', 'decided',
       who.id, '2026-01-02', timestamptz '2026-01-01 00:00+08' + (i % 7776000) * interval '1 second'
from generate_series(1, 1000000) i, us, ps, who;
with who as (select id from users where username = 'inspector'), sup as (select id from users where username = 'supervisor'),
     forms as (select array['organisational','disciplinary','admonishment','circulated_criticism','written_self_criticism','veto','economic'] a)
insert into case_decisions (case_id, person_id, form, basis, proposed_by, approved_by, approved_at)
select c.id, c.person_id, forms.a[1 + abs(hashtext(c.workflow_id)) % 7], 'b', who.id, sup.id, c.closed_at from cases c, who, sup, forms;
insert into case_findings (case_id, level, person_id, collective, direct, former)
select id, 0, person_id, false, true, false from cases;
insert into case_levels (case_id, level, unit_id, workflow_id, state, opened_at)
select id, 1, unit_id, workflow_id || '/1', 'at_fault', closed_at from cases where abs(hashtext(workflow_id)) % 10 = 0;
insert into case_levels (case_id, level, unit_id, workflow_id, state, opened_at)
select id, 2, unit_id, workflow_id || '/2', 'cleared', closed_at from cases where abs(hashtext(workflow_id)) % 50 = 0;
analyze;`

// rawSQL is the same aggregate written as one plain query.
const rawSQL = `
select count(*),
       count(*) filter (where exists (select 1 from case_levels l where l.case_id = c.id)),
       count(*) filter (where exists (select 1 from case_levels l where l.case_id = c.id and l.level > 1)),
       (select count(*) from case_decisions x join cases c2 on c2.id = x.case_id join org_units u2 on u2.id = c2.unit_id
         where c2.outcome = 'decided' and c2.closed_at >= $2 and c2.closed_at < $3 and u2.path like r.path || '%'),
       (select jsonb_object_agg(form, n) from (select x.form, count(*) n from case_decisions x join cases c3 on c3.id = x.case_id
         join org_units u3 on u3.id = c3.unit_id where c3.outcome = 'decided' and c3.closed_at >= $2 and c3.closed_at < $3
         and u3.path like r.path || '%' group by x.form) f)
from cases c join org_units u on u.id = c.unit_id, (select path from org_units where id = $1) r
where c.outcome = 'decided' and c.closed_at >= $2 and c.closed_at < $3 and u.path like r.path || '%'
group by r.path`

// BenchmarkQuarterlyAggregate compares the quarterly pre-fill of the root unit (store.
// ReportPrefill: the counts by form, by level, persons, one-case-two-investigations, and
// the typical-case candidates) against the raw aggregate, over 1,000,000 decided cases and
// 2,000 units. The target is at most 1.5× the raw query's time:
//
//	go test -run '^$' -bench QuarterlyAggregate -benchtime 10x ./store/
func BenchmarkQuarterlyAggregate(b *testing.B) {
	s := storetest.New(b)
	ctx := context.Background()
	if err := s.SeedDemo(ctx); err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	if err := s.ExecForTest(ctx, volumeSQL); err != nil {
		b.Fatal(err)
	}
	b.Logf("generated 1,000,000 cases over 2,000 units in %s", time.Since(start).Round(time.Second))
	root, q := store.DemoID("unit", "county"), liangze.Quarter{Year: 2026, Quarter: 1}
	var rawCases, rawPersons int
	if err := s.QueryRowForTest(ctx, rawSQL, []any{root, q.Start(), q.End()}, &rawCases, nil, nil, &rawPersons, nil); err != nil {
		b.Fatal(err)
	}
	form, err := s.ReportPrefill(ctx, root, q)
	if err != nil {
		b.Fatal(err)
	}
	if form.Cases != 1000000 || rawCases != 1000000 || form.PersonsHeldAccountable != rawPersons {
		b.Fatalf("the two disagree: store %d cases %d persons, raw %d cases %d persons", form.Cases, form.PersonsHeldAccountable, rawCases, rawPersons)
	}
	var rawNs, storeNs float64
	b.Run("raw-sql", func(b *testing.B) {
		for b.Loop() {
			if err := s.QueryRowForTest(ctx, rawSQL, []any{root, q.Start(), q.End()}, &rawCases, nil, nil, &rawPersons, nil); err != nil {
				b.Fatal(err)
			}
		}
		rawNs = float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	})
	b.Run("store-prefill", func(b *testing.B) {
		for b.Loop() {
			if _, err := s.ReportPrefill(ctx, root, q); err != nil {
				b.Fatal(err)
			}
		}
		storeNs = float64(b.Elapsed().Nanoseconds()) / float64(b.N)
	})
	if rawNs > 0 {
		b.Logf("store / raw = %.2f (target ≤ 1.5)", storeNs/rawNs)
	}
}
