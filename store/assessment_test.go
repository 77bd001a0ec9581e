package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"liangze"
	"liangze/store"
)

func TestAssessmentRanksArchivesAndMarksTheBottom(t *testing.T) {
	s := seeded(t)
	ctx := context.Background()
	id, county := uuid.New(), store.DemoID("unit", "county")
	at := time.Date(2027, 12, 20, 10, 0, 0, 0, liangze.ChinaTime)
	n := 0
	ch := func() store.AssessmentChange {
		n++
		actor := store.DemoID("user", "supervisor")
		return store.AssessmentChange{Key: id.String() + "/" + string(rune('a'+n)), AssessmentID: id, Actor: &actor, At: at}
	}
	must(t, s.SetIndicators(ctx, "ind-1", store.DemoID("user", "admin"), 2027, []liangze.Indicator{
		{Code: "work", Name: liangze.Label{ZH: "工作落实"}, Weight: 60}, {Code: "integrity", Name: liangze.Label{ZH: "廉洁自律"}, Weight: 40}}))
	must(t, s.OpenAssessment(ctx, ch(), "assessment/x", county, 2027, 1))

	all := func(w, i float64) map[string]float64 { return map[string]float64{"work": w, "integrity": i} }
	wantCode(t, "a unit outside the parent", s.SaveScores(ctx, ch(), county, all(90, 90)), liangze.EINVALID)
	wantCode(t, "an unknown indicator", s.SaveScores(ctx, ch(), store.DemoID("unit", "donghu"), map[string]float64{"x": 1}), liangze.EINVALID)
	scores := map[string]map[string]float64{ // weighted: 90, 84, 84, 70, 70, 95
		"donghu": all(90, 90), "nanling": all(80, 90), "xiping": all(90, 75), "education": all(70, 70), "organs": all(95, 95)}
	for unit, sc := range scores {
		must(t, s.SaveScores(ctx, ch(), store.DemoID("unit", unit), sc))
	}
	must(t, s.SaveScores(ctx, ch(), store.DemoID("unit", "archives"), map[string]float64{"work": 70}))
	_, err := s.CloseAssessment(ctx, ch())
	wantCode(t, "close with archives half scored", err, liangze.ECONFLICT)
	if err == nil || !strings.Contains(err.Error(), "县档案馆") {
		t.Errorf("refusal should name the unit not fully scored: %v", err)
	}
	must(t, s.SaveScores(ctx, ch(), store.DemoID("unit", "archives"), all(60, 85))) // 70: tied with education
	closing := ch()
	bottom, err := s.CloseAssessment(ctx, closing)
	if err != nil {
		t.Fatal(err)
	}
	again, err := s.CloseAssessment(ctx, closing) // a retried activity
	if err != nil || len(again) != len(bottom) {
		t.Fatalf("retried close: %v %v", again, err)
	}
	heads := map[uuid.UUID]int{}
	for _, b := range bottom {
		if b.HeadID != nil && b.Rank == 5 {
			heads[*b.HeadID]++
		}
	}
	if len(bottom) != 2 || heads[store.DemoID("person", "何平")] != 1 || heads[store.DemoID("person", "林涛")] != 1 {
		t.Fatalf("bottom %+v, want education and archives tied at rank 5, with their heads", bottom)
	}

	a, err := s.Assessment(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	var ranks []int
	for _, u := range a.Units {
		ranks = append(ranks, *u.Rank)
		if *u.AwardEligible == u.Bottom {
			t.Errorf("%s: bottom %t but award eligible %t", u.UnitName.ZH, u.Bottom, *u.AwardEligible)
		}
	}
	if a.State != liangze.AssessmentClosed || len(ranks) != 6 || ranks[0] != 1 || ranks[2] != 3 || ranks[3] != 3 || ranks[5] != 5 {
		t.Errorf("state %s ranks %v, want 1 2 3 3 5 5", a.State, ranks)
	}
	wantCode(t, "score after ranking", s.SaveScores(ctx, ch(), store.DemoID("unit", "donghu"), all(1, 1)), liangze.ECONFLICT)
	wantCode(t, "indicators after ranking", s.SetIndicators(ctx, "ind-2", store.DemoID("user", "admin"), 2027, liangze.DefaultIndicators), liangze.ECONFLICT)

	file, err := s.IntegrityFile(ctx, store.DemoID("person", "何平"))
	if err != nil || len(file) != 1 || !strings.Contains(file[0].Title.ZH, "第5名") || !strings.Contains(file[0].Title.ZH, "取消年度评优资格") {
		t.Fatalf("何平's integrity file %+v %v", file, err)
	}
	if f, _ := s.IntegrityFile(ctx, store.DemoID("person", "赵丽")); len(f) != 1 || !strings.Contains(f[0].Title.ZH, "第2名") {
		t.Errorf("赵丽 (a Donghu leader) %+v", f)
	}
	if err := s.ExecForTest(ctx, `delete from integrity_file`); err == nil || !strings.Contains(err.Error(), "append-only") {
		t.Errorf("deleting the integrity file: %v", err)
	}
	ev, err := s.LevelEvidence(ctx, store.DemoID("unit", "education"), time.Date(2027, 6, 1, 0, 0, 0, 0, liangze.ChinaTime))
	if err != nil || !strings.Contains(strings.Join(ev.Notes, "|"), "第5名") {
		t.Errorf("evidence notes %v %v", ev.Notes, err)
	}
}
