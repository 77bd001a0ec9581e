package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"

	"liangze"
	"liangze/store"
)

func TestTalkSubjectsAndDuties(t *testing.T) {
	s := seeded(t)
	ctx := context.Background()
	on := time.Date(2026, 12, 1, 0, 0, 0, 0, liangze.ChinaTime)
	county, err := s.TalkSubjects(ctx, store.DemoID("unit", "county"), on)
	if err != nil {
		t.Fatal(err)
	}
	want := map[uuid.UUID]bool{store.DemoID("person", "李明"): true}
	for _, head := range []string{"周立新", "陈志强", "黄伟", "徐刚", "何平", "林涛"} {
		want[store.DemoID("person", head)] = true
	}
	for _, c := range county {
		delete(want, c.PersonID)
	}
	if len(county) != 7 || len(want) != 0 {
		t.Errorf("county's secretary talks with %d people, missing %v; want the discipline secretary and the six subordinate heads", len(county), want)
	}

	id := uuid.New()
	ch := func(key string) store.SignoffChange {
		actor := store.DemoID("user", "donghu-clerk")
		return store.SignoffChange{Key: id.String() + key, SignoffID: id, Actor: &actor, At: on}
	}
	zhao := store.DemoID("person", "赵丽")
	due := liangze.Deadline{At: on.AddDate(0, 1, 0)}
	duties := []store.NewDuty{{Kind: liangze.DutyCommitment, Due: due}, {Kind: liangze.DutyIntegrityTalk, Subject: &zhao, Due: due}}
	must(t, s.OpenDuties(ctx, ch("/open"), store.DemoID("unit", "donghu"), 2026, duties))
	must(t, s.OpenDuties(ctx, ch("/open-again"), store.DemoID("unit", "donghu"), 2026, duties)) // same ids: nothing new
	all, err := s.Duties(ctx, id, nil, false)
	if err != nil || len(all) != 2 {
		t.Fatalf("duties %v %v", all, err)
	}
	talk := liangze.DutyID(id, liangze.DutyIntegrityTalk, &zhao)
	must(t, s.CompleteDuty(ctx, ch("/done"), talk, "2026-12-02", "谈话记录"))
	wantCode(t, "completing twice", s.CompleteDuty(ctx, ch("/done-again"), talk, "2026-12-03", ""), liangze.ECONFLICT)
	pending, err := s.Duties(ctx, id, nil, true)
	if err != nil || len(pending) != 1 || pending[0].Kind != liangze.DutyCommitment {
		t.Errorf("pending %v %v, want the commitment only", pending, err)
	}
	if done, _ := s.Duties(ctx, id, []uuid.UUID{talk}, false); len(done) != 1 || done[0].SubjectName != "赵丽" || *done[0].DoneOn != "2026-12-02" {
		t.Errorf("the talk %+v", done)
	}
}
