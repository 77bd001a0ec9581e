package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"liangze"
	"liangze/store"
)

// decided stores a case in unit against person, decided at `at` with the given forms.
func decided(t *testing.T, s *store.Store, unit string, person uuid.UUID, at time.Time, forms ...liangze.AccountabilityForm) uuid.UUID {
	t.Helper()
	ctx := context.Background()
	id := uuid.New()
	inspector, supervisor := store.DemoID("user", "inspector"), store.DemoID("user", "supervisor")
	ch := func(k string, actor uuid.UUID) store.CaseChange {
		return store.CaseChange{Key: id.String() + k, CaseID: id, Actor: &actor, At: at}
	}
	must(t, s.OpenCase(ctx, ch("/open", inspector), store.NewCase{ID: id, WorkflowID: "case/" + id.String(),
		UnitID: store.DemoID("unit", unit), PersonID: person, ClueSource: "x", Summary: "x", Category: "x",
		ViolationDate: at.AddDate(-1, 0, 0), OpenedBy: inspector, OpenedAt: at}))
	must(t, s.RecordViolationFinding(ctx, ch("/v", inspector), true, "x", person))
	var df []liangze.DecisionForm
	for _, f := range forms {
		df = append(df, liangze.DecisionForm{PersonID: person, Form: f, Basis: "b"})
	}
	must(t, s.DecideCase(ctx, ch("/d", supervisor), inspector, df))
	return id
}

func TestReportPrefillAndSummary(t *testing.T) {
	s := seeded(t)
	ctx := context.Background()
	q := liangze.Quarter{Year: 2026, Quarter: 1}
	feb := time.Date(2026, 2, 10, 10, 0, 0, 0, liangze.ChinaTime)
	c1 := decided(t, s, "donghu", store.DemoID("person", "赵丽"), feb, liangze.FormDisciplinary, liangze.FormEconomicPenalty)
	decided(t, s, "nanling", store.DemoID("person", "黄伟"), feb, liangze.FormCirculated)
	decided(t, s, "county", store.DemoID("person", "王建国"), feb, liangze.FormAdmonishment)
	decided(t, s, "donghu", store.DemoID("person", "孙强"), time.Date(2026, 4, 1, 0, 0, 0, 0, liangze.ChinaTime), liangze.FormVeto) // Q2

	pre, err := s.ReportPrefill(ctx, store.DemoID("unit", "donghu"), q)
	if err != nil {
		t.Fatal(err)
	}
	if pre.Cases != 1 || pre.ByForm["disciplinary"] != 1 || pre.ByForm["economic"] != 1 || len(pre.TypicalCases) != 1 || pre.TypicalCases[0] != c1 {
		t.Errorf("donghu Q1 prefill %+v", pre)
	}
	county, _ := s.ReportPrefill(ctx, store.DemoID("unit", "county"), q)
	if county.Cases != 3 || county.PersonsHeldAccountable != 3 {
		t.Errorf("county Q1 prefill (subtree) %+v, want 3 cases", county)
	}

	// Donghu's report is accepted; Nanling's is submitted, not yet accepted
	admin := store.DemoID("user", "admin")
	for _, unit := range []string{"donghu", "nanling"} {
		id := uuid.New()
		c := store.ReportChange{Key: id.String(), ReportID: id, Actor: &admin, At: feb}
		pre, _ := s.ReportPrefill(ctx, store.DemoID("unit", unit), q)
		must(t, s.CreateReport(ctx, c, "report/"+unit, store.DemoID("unit", unit), q, pre, liangze.Deadline{At: q.End()}))
		c.Key += "/submit"
		must(t, s.SubmitReport(ctx, c))
		if unit == "donghu" {
			c.Key += "/accept"
			must(t, s.ReviewReport(ctx, c, true, ""))
		}
	}
	sum, err := s.ReportSummary(ctx, store.DemoID("unit", "county"), q)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Own.Cases != 1 || len(sum.Accepted) != 1 || sum.Total.Cases != 2 || sum.Total.ByForm["admonishment"] != 1 ||
		sum.Total.ByForm["disciplinary"] != 1 || sum.Total.ByForm["circulated_criticism"] != 0 {
		t.Errorf("county summary: own %+v, accepted %d, total %+v", sum.Own, len(sum.Accepted), sum.Total)
	}
	var missing []string
	for _, u := range sum.Missing {
		missing = append(missing, u.Code)
	}
	if len(missing) != 5 || missing[2] != "nanling" {
		t.Errorf("missing %v, want the five subordinates without an accepted report, nanling among them", missing)
	}
}
