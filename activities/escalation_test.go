package activities_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"liangze"
	"liangze/activities"
	"liangze/store"
	"liangze/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

// recorder is a Notifier that remembers what it delivered.
type recorder struct {
	mu  sync.Mutex
	got []liangze.Reminder
}

func (r *recorder) Notify(_ context.Context, m liangze.Reminder) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.got = append(r.got, m)
	return nil
}

func setup(t *testing.T) (*activities.Activities, *recorder, uuid.UUID, string) {
	t.Helper()
	st := storetest.New(t)
	ctx := context.Background()
	if err := st.SeedDemo(ctx); err != nil {
		t.Fatal(err)
	}
	rec := &recorder{}
	a := &activities.Activities{Store: st, Notifier: rec}
	id := uuid.New()
	wf := "escalation/" + id.String()
	inspector := store.DemoID("user", "inspector")
	if err := a.OpenEscalation(ctx, store.NewEscalation{ID: id, WorkflowID: wf, UnitID: store.DemoID("unit", "donghu"),
		Trigger: "test", Problem: "问题", Severity: liangze.SeverityMinor, Level: liangze.LevelInterview,
		OpenedBy: &inspector, OpenedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	return a, rec, id, wf
}

func inbox(t *testing.T, a *activities.Activities, user string) []liangze.Reminder {
	t.Helper()
	list, _, err := a.Store.Inbox(context.Background(), store.DemoID("user", user), false, 100, 0)
	if err != nil {
		t.Fatal(err)
	}
	return list
}

func TestProposeTellsEverySupervisorOnce(t *testing.T) {
	a, rec, id, wf := setup(t)
	inspector := store.DemoID("user", "inspector")
	p := activities.ProposeParams{Step: store.StepChange{Key: wf + "/1/propose#1", EscalationID: id, StepNo: 1,
		Actor: &inspector, At: time.Now()}, Level: liangze.LevelInterview, Reason: "约谈"}
	for range 3 { // retried
		if err := a.ProposeStep(context.Background(), p); err != nil {
			t.Fatal(err)
		}
	}
	for _, u := range []string{"supervisor", "supervisor2"} {
		if got := inbox(t, a, u); len(got) != 1 || got[0].Kind != "approval_needed" {
			t.Errorf("%s's inbox: %+v, want one approval request", u, got)
		}
	}
	if len(inbox(t, a, "donghu-leader")) != 0 {
		t.Error("the unit leader was asked to approve")
	}
	if len(rec.got) != 2 {
		t.Errorf("delivered %d notifications, want 2 (one per supervisor, not per retry)", len(rec.got))
	}
}

func TestDueReminderStoredOnceAcrossRetries(t *testing.T) {
	a, rec, id, wf := setup(t)
	ctx := context.Background()
	due := time.Now().Add(24 * time.Hour)
	p := activities.ReminderParams{Step: store.StepChange{Key: wf + "/1/remind-24h0m0s#5", EscalationID: id, StepNo: 1,
		At: time.Now()}, DueAt: due, Before: 24 * time.Hour}
	for range 3 {
		if err := a.SendDueReminder(ctx, p); err != nil {
			t.Fatal(err)
		}
	}
	got := inbox(t, a, "donghu-leader")
	if len(got) != 1 || got[0].Kind != "due_soon" || got[0].DueAt == nil || !got[0].DueAt.Equal(due.Truncate(time.Microsecond)) {
		t.Fatalf("unit leader's inbox: %+v, want one due_soon reminder for the due date", got)
	}
	if len(rec.got) != 1 {
		t.Errorf("delivered %d times, want once", len(rec.got))
	}
	// another offset is another reminder
	p.Step.Key, p.Before = wf+"/1/remind-1h0m0s#6", time.Hour
	if err := a.SendDueReminder(ctx, p); err != nil {
		t.Fatal(err)
	}
	if got := inbox(t, a, "donghu-leader"); len(got) != 2 {
		t.Errorf("after a second offset: %d reminders, want 2", len(got))
	}
}

func TestBusinessRuleFailureIsNotRetried(t *testing.T) {
	a, _, id, wf := setup(t)
	err := a.MarkOverdue(context.Background(), store.StepChange{Key: wf + "/9/overdue#1", EscalationID: id, StepNo: 9, At: time.Now()})
	if err == nil {
		t.Fatal("marking a missing step overdue succeeded")
	}
	if !isNonRetryable(err) || liangze.ErrorCode(err) != liangze.ENOTFOUND {
		t.Errorf("error %v: want a non-retryable not_found; a missing step will not appear by retrying", err)
	}
}

func TestApprovalReminderSkipsTheProposerAndIsStoredOnce(t *testing.T) {
	a, rec, id, wf := setup(t)
	ctx := context.Background()
	proposer := store.DemoID("user", "supervisor")
	p := activities.ProposeParams{Step: store.StepChange{Key: wf + "/1/propose#1", EscalationID: id, StepNo: 1,
		Actor: &proposer, At: time.Now()}, Level: liangze.LevelInterview, Reason: "约谈"}
	if err := a.ProposeStep(ctx, p); err != nil {
		t.Fatal(err)
	}
	r := activities.ApprovalReminderParams{Step: store.StepChange{Key: wf + "/1/approval-reminder#2", EscalationID: id, StepNo: 1,
		At: time.Now()}, Level: liangze.LevelInterview, Since: time.Now().Add(-48 * time.Hour), ProposedBy: &proposer}
	for range 2 { // retried
		if err := a.RemindApproval(ctx, r); err != nil {
			t.Fatal(err)
		}
	}
	waiting := func(user string) int {
		n := 0
		for _, m := range inbox(t, a, user) {
			if m.Kind == "approval_waiting" {
				n++
			}
		}
		return n
	}
	if waiting("supervisor2") != 1 || waiting("supervisor") != 0 {
		t.Errorf("approval reminders: supervisor2 %d (want 1), the proposer %d (want 0)", waiting("supervisor2"), waiting("supervisor"))
	}
	if len(rec.got) != 3 { // two approval requests, one reminder
		t.Errorf("delivered %d, want 3", len(rec.got))
	}
}
