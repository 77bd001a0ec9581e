package activities_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"liangze"
	"liangze/activities"
	"liangze/store"
)

// Duties due by a fixed day keep it; one whose day has passed gets the grace from opening,
// on the working-day calendar; talks are one per person; a retry stores and announces once.
func TestOpenDutiesDeadlinesAndTalks(t *testing.T) {
	a, rec, _, _ := setup(t)
	ctx := context.Background()
	opened := time.Date(2026, 12, 1, 9, 0, 0, 0, liangze.ChinaTime) // a Tuesday
	feb1 := time.Date(2027, 2, 1, 0, 0, 0, 0, liangze.ChinaTime)
	passed := time.Date(2026, 11, 1, 0, 0, 0, 0, liangze.ChinaTime)
	id := uuid.New()
	p := activities.OpenDutiesParams{Change: store.SignoffChange{Key: "duties/" + id.String() + "/open", SignoffID: id, At: opened},
		UnitID: store.DemoID("unit", "donghu"), Year: 2027, Rules: []activities.DutyRule{
			{Kind: liangze.DutyCommitment, By: &feb1, Grace: liangze.Period{N: 10, Unit: liangze.WorkingDays}},
			{Kind: liangze.DutyReportParty, By: &passed, Grace: liangze.Period{N: 5, Unit: liangze.WorkingDays}},
			{Kind: liangze.DutyIntegrityTalk, By: &feb1, Grace: liangze.Period{N: 5, Unit: liangze.WorkingDays}},
		}, Reminders: []liangze.Period{{N: 1, Unit: liangze.WorkingDays}}}
	var dues []activities.DutyDue
	for range 2 { // retried
		var err error
		if dues, err = a.OpenDuties(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	if len(dues) != 4 {
		t.Fatalf("%d duties, want the commitment, the report and two talks (赵丽, 孙强)", len(dues))
	}
	want := map[liangze.DutyKind]time.Time{liangze.DutyCommitment: feb1, liangze.DutyIntegrityTalk: feb1,
		liangze.DutyReportParty: time.Date(2026, 12, 9, 0, 0, 0, 0, liangze.ChinaTime)} // 5 working days after 1 December
	for _, d := range dues {
		if !d.DueAt.Equal(want[d.Kind]) || len(d.RemindAt) != 1 {
			t.Errorf("%s due %s (reminders %v), want %s", d.Kind, d.DueAt, d.RemindAt, want[d.Kind])
		}
	}
	stored, err := a.Store.Duties(ctx, id, nil, false)
	if err != nil || len(stored) != 4 {
		t.Fatalf("stored %d duties, %v", len(stored), err)
	}
	if n := len(inbox(t, a, "donghu-clerk")); n != 1 || len(rec.got) != 2 { // clerk and leader, once each
		t.Errorf("clerk's inbox %d, deliveries %d; want one announcement each", n, len(rec.got))
	}
	none := p
	none.Rules, none.Change.Key = nil, "duties/none"
	if dues, err := a.OpenDuties(ctx, none); err != nil || len(dues) != 0 || len(rec.got) != 2 {
		t.Errorf("no rules: %v %v, deliveries %d", dues, err, len(rec.got))
	}
}
