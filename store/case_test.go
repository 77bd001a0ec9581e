package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"liangze"
	"liangze/store"
)

// The leaders of a unit on the day of a violation come from tenure: Donghu's secretary in
// 2023 was 刘海 (until March 2024), not today's 陈志强, and he is marked former.
func TestLevelEvidenceUsesTenureAtTheViolation(t *testing.T) {
	s := seeded(t)
	ctx := context.Background()
	ev, err := s.LevelEvidence(ctx, store.DemoID("unit", "donghu"), time.Date(2023, 6, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]liangze.LeaderAt{}
	for _, l := range ev.LeadersAt {
		byName[l.Name] = l
	}
	if l, ok := byName["刘海"]; !ok || l.Current || l.Kind != liangze.PositionFirstResponsible {
		t.Errorf("刘海 on 2023-06-01: %+v (found %t), want the former first responsible person", l, ok)
	}
	if _, ok := byName["陈志强"]; ok {
		t.Error("陈志强 is listed for 2023, before his tenure began in 2024")
	}
	if l := byName["赵丽"]; !l.Current {
		t.Errorf("赵丽 is still in post: %+v", l)
	}
	if ev.ParentID == nil || *ev.ParentID != store.DemoID("unit", "county") || len(ev.Notes) != 1 {
		t.Errorf("parent %v, notes %v", ev.ParentID, ev.Notes)
	}
	now, _ := s.LevelEvidence(ctx, store.DemoID("unit", "donghu"), time.Now())
	for _, l := range now.LeadersAt {
		if l.Name == "刘海" {
			t.Error("刘海 listed as a leader today")
		}
	}
	// the archives has no committee of its own: the subject is the organs working committee
	ev, _ = s.LevelEvidence(ctx, store.DemoID("unit", "archives"), time.Now())
	if !ev.Primary.Fallback || ev.Primary.UnitID != store.DemoID("unit", "organs") {
		t.Errorf("archives' primary subject %+v", ev.Primary)
	}
}

// Known cases give known quarterly counts.
func TestCaseStats(t *testing.T) {
	s := seeded(t)
	ctx := context.Background()
	inspector, supervisor := store.DemoID("user", "inspector"), store.DemoID("user", "supervisor")
	liu, zhao, chen := store.DemoID("person", "刘海"), store.DemoID("person", "赵丽"), store.DemoID("person", "陈志强")
	violation := time.Date(2023, 6, 1, 0, 0, 0, 0, time.UTC)
	at := time.Date(2026, 2, 10, 10, 0, 0, 0, time.UTC)
	open := func(unit string, person uuid.UUID) uuid.UUID {
		id := uuid.New()
		c := store.CaseChange{Key: id.String() + "/open", CaseID: id, Actor: &inspector, At: at}
		if err := s.OpenCase(ctx, c, store.NewCase{ID: id, WorkflowID: "case/" + id.String(), UnitID: store.DemoID("unit", unit),
			PersonID: person, ClueSource: "举报", Summary: "s", Category: "c", ViolationDate: violation, OpenedBy: inspector, OpenedAt: at}); err != nil {
			t.Fatal(err)
		}
		return id
	}
	step := func(id uuid.UUID, key string) store.CaseChange {
		return store.CaseChange{Key: id.String() + "/" + key, CaseID: id, Actor: &supervisor, At: at}
	}
	// case 1: one case, two investigations, traced to the county; two persons, three forms
	c1 := open("donghu", zhao)
	must(t, s.RecordViolationFinding(ctx, step(c1, "v"), true, "违规", zhao))
	must(t, s.OpenCaseLevel(ctx, step(c1, "l1"), 1, store.DemoID("unit", "donghu"), "case/x/level/1", liangze.LevelEvidence{}))
	must(t, s.RecordLevelFinding(ctx, step(c1, "f1"), 1, store.LevelFinding{PrimaryAtFault: true, Summary: "s",
		Persons: []liangze.Finding{{PersonID: liu, Former: true}}}))
	must(t, s.OpenCaseLevel(ctx, step(c1, "l2"), 2, store.DemoID("unit", "county"), "case/x/level/2", liangze.LevelEvidence{}))
	must(t, s.RecordLevelFinding(ctx, step(c1, "f2"), 2, store.LevelFinding{Summary: "cleared"}))
	must(t, s.DecideCase(ctx, step(c1, "d"), inspector, []liangze.DecisionForm{
		{PersonID: zhao, Form: liangze.FormDisciplinary, Basis: "b"}, {PersonID: zhao, Form: liangze.FormEconomicPenalty, Basis: "b"},
		{PersonID: liu, Form: liangze.FormAdmonishment, Basis: "b"}}))
	// case 2: decided without a responsibility investigation
	c2 := open("nanling", store.DemoID("person", "黄伟"))
	must(t, s.RecordViolationFinding(ctx, step(c2, "v"), true, "违规", store.DemoID("person", "黄伟")))
	must(t, s.DecideCase(ctx, step(c2, "d"), inspector, []liangze.DecisionForm{{PersonID: store.DemoID("person", "黄伟"), Form: liangze.FormCirculated, Basis: "b"}}))
	// case 3: not filed; case 4: still open
	c3 := open("donghu", chen)
	must(t, s.DecideFiling(ctx, step(c3, "f"), false, "不实"))
	open("xiping", store.DemoID("person", "徐刚"))

	q1, q2 := time.Date(2026, 1, 1, 0, 0, 0, 0, liangze.ChinaTime), time.Date(2026, 4, 1, 0, 0, 0, 0, liangze.ChinaTime)
	st, err := s.CaseStats(ctx, store.DemoID("unit", "county"), q1, q2)
	if err != nil {
		t.Fatal(err)
	}
	if st.Cases != 2 || st.PersonsHeldAccountable != 3 || st.TwoInvestigations != 1 || st.TracedUpward != 1 {
		t.Errorf("stats %+v, want 2 cases, 3 persons, 1 two-investigation case traced upward", st)
	}
	wantForms := map[string]int{"disciplinary": 1, "economic": 1, "admonishment": 1, "circulated_criticism": 1}
	for f, n := range wantForms {
		if st.ByForm[f] != n {
			t.Errorf("by form %v, want %v", st.ByForm, wantForms)
			break
		}
	}
	if st.ByLevel["0"] != 2 || st.ByLevel["1"] != 1 {
		t.Errorf("by level %v, want 2 at the violation, 1 at the unit's leadership", st.ByLevel)
	}
	if st, _ = s.CaseStats(ctx, store.DemoID("unit", "donghu"), q1, q2); st.Cases != 1 {
		t.Errorf("donghu's subtree: %d cases, want 1", st.Cases)
	}
	if st, _ = s.CaseStats(ctx, store.DemoID("unit", "county"), q2, q2.AddDate(0, 3, 0)); st.Cases != 0 {
		t.Errorf("next quarter: %d cases", st.Cases)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
