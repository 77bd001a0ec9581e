package workflows

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/mock"

	"liangze"
	"liangze/activities"
	"liangze/store"
	"liangze/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

func cst(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, liangze.ChinaTime)
	if err != nil {
		panic(err)
	}
	return t
}

// A deadline computed on the calendar is kept in history: editing the calendar afterwards
// does not move it, and the reminders and the overdue step come at the times first computed.
func TestCalendarEditDoesNotMoveComputedDeadline(t *testing.T) {
	st := storetest.New(t)
	ctx := context.Background()
	if err := st.SeedDemo(ctx); err != nil {
		t.Fatal(err)
	}
	l := newLadderWith(t, &activities.Activities{Store: st})
	l.env.SetStartTime(cst("2026-02-10 08:00")) // Tuesday, before the Spring Festival
	l.at(time.Hour, UpdateDecide, DecideInput{StepNo: 1, ActorID: supervisor, Approve: true})
	l.at(2*time.Hour, UpdateRecordTalk, talk(1)) // 10:00 on 10 February
	l.env.RegisterDelayedCallback(func() {
		// an admin declares the rest of February and March holidays
		days := []liangze.SpecialDay{}
		for d := cst("2026-02-11 00:00"); d.Month() < 4; d = d.AddDate(0, 0, 1) {
			days = append(days, liangze.SpecialDay{Date: d.Format(time.DateOnly), Kind: liangze.Holiday})
		}
		if err := st.PutCalendarYear(ctx, liangze.CalendarYear{Year: 2026, Source: "test", Days: days},
			store.DemoID("user", "admin")); err != nil {
			t.Error(err)
		}
	}, 3*time.Hour)
	l.at(30*day, UpdateDecide, DecideInput{StepNo: 2, ActorID: supervisor, Approve: false, Comment: "结束"})
	timing := Timing{Rectification: liangze.Period{N: 5, Unit: liangze.WorkingDays},
		Reminders: []liangze.Period{{N: 1, Unit: liangze.WorkingDays}}}
	l.runWith(liangze.LevelInterview, &inspector, timing)
	l.wantRefusals()
	// 5 working days from 10 February: 11, 12, 13, the make-up Saturday 14, then 24 after the
	// holiday — due at the end of 24 February, reminded at 09:00 on the 14th
	overdue, reminders := l.when["MarkOverdue"], l.when["SendDueReminder"]
	if want := cst("2026-02-25 00:00"); len(overdue) != 1 || !overdue[0].Equal(want) {
		t.Errorf("overdue at %v, want %s as computed before the edit", overdue, want)
	}
	if len(reminders) != 1 || !reminders[0].Equal(cst("2026-02-14 09:00")) {
		t.Errorf("reminders at %v, want 2026-02-14 09:00", reminders)
	}
}

// When an admin asks, the deadline is recomputed on the edited calendar from the same start.
func TestRecomputeOnRequestMovesDeadline(t *testing.T) {
	st := storetest.New(t)
	ctx := context.Background()
	if err := st.SeedDemo(ctx); err != nil {
		t.Fatal(err)
	}
	l := newLadderWith(t, &activities.Activities{Store: st})
	l.env.SetStartTime(cst("2026-03-02 08:00")) // Monday
	l.at(time.Hour, UpdateDecide, DecideInput{StepNo: 1, ActorID: supervisor, Approve: true})
	l.at(2*time.Hour, UpdateRecordTalk, talk(1)) // 10:00 on 2 March; 5 working days: due end of 9 March
	l.env.RegisterDelayedCallback(func() {
		days := []liangze.SpecialDay{{Date: "2026-03-03", Kind: liangze.Holiday}, {Date: "2026-03-04", Kind: liangze.Holiday}}
		if err := st.PutCalendarYear(ctx, liangze.CalendarYear{Year: 2026, Source: "test", Days: days},
			store.DemoID("user", "admin")); err != nil {
			t.Error(err)
		}
		l.env.SignalWorkflow(SignalRecomputeDeadline, RecomputeInput{RequestedBy: store.DemoID("user", "admin")})
	}, 24*time.Hour)
	l.at(30*day, UpdateDecide, DecideInput{StepNo: 2, ActorID: supervisor, Approve: false, Comment: "结束"})
	l.runWith(liangze.LevelInterview, &inspector, Timing{Rectification: liangze.Period{N: 5, Unit: liangze.WorkingDays}})
	l.wantRefusals()
	if got := l.when["RescheduleDeadline"]; len(got) != 1 {
		t.Errorf("RescheduleDeadline called %d times, want once", len(got))
	}
	// two days off in the period: due at the end of 11 March instead of 9 March
	if got := l.when["MarkOverdue"]; len(got) != 1 || !got[0].Equal(cst("2026-03-12 00:00")) {
		t.Errorf("overdue at %v, want 2026-03-12 00:00", got)
	}
}

// A step left waiting for a decision reminds the supervisors every 2 working days (counted
// over the Spring Festival holiday), at most twice, and stops once decided.
func TestApprovalRemindersWhileWaiting(t *testing.T) {
	st := storetest.New(t)
	if err := st.SeedDemo(context.Background()); err != nil {
		t.Fatal(err)
	}
	l := newLadderWith(t, &activities.Activities{Store: st})
	l.env.OnActivity(a.RemindApproval, mock.Anything, mock.Anything).Run(func(args mock.Arguments) {
		l.calls = append(l.calls, "RemindApproval")
		l.when["RemindApproval"] = append(l.when["RemindApproval"], l.env.Now())
	}).Return(nil)
	l.env.SetStartTime(cst("2026-02-12 10:00")) // Thursday; 15-23 February is the Spring Festival holiday
	l.at(20*day, UpdateDecide, DecideInput{StepNo: 1, ActorID: supervisor, Approve: false, Comment: "不予约谈"})
	timing := testTiming
	timing.ApprovalReminder, timing.ApprovalReminders = liangze.Period{N: 2, Unit: liangze.WorkingDays}, 2
	if s := l.runWith(liangze.LevelInterview, &inspector, timing); s.State != liangze.EscalationRejected {
		t.Errorf("state %s", s.State)
	}
	l.wantCalls("OpenEscalation", "ProposeStep(1,interview)", "RemindApproval", "RemindApproval", "DecideStep(1,false)",
		"CloseEscalation(rejected)")
	// 2 working days from Thursday 12 February: Friday 13 and Saturday 14 (a make-up workday)
	// → 24:00 on the 14th; then Tuesday 24 and Wednesday 25 → 24:00 on the 25th
	got := l.when["RemindApproval"]
	if len(got) != 2 || !got[0].Equal(cst("2026-02-15 00:00")) || !got[1].Equal(cst("2026-02-26 00:00")) {
		t.Errorf("reminders at %v, want 15 and 26 February 00:00", got)
	}
}
