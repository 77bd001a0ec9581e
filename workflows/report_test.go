package workflows

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"liangze"
	"liangze/activities"
)

// reportTest drives a quarterly report workflow; 2026 Q1 ends 1 April, due 10 days later
// (fake calendar), reminded a day before.
type reportTest struct {
	t           *testing.T
	env         *testsuite.TestWorkflowEnvironment
	calls       []string
	refusals    []string
	escalations *[]EscalationInput
}

var q1 = liangze.Quarter{Year: 2026, Quarter: 1}

// newReportTest builds the test; prefill, if given, is how long CreateReport takes.
func newReportTest(t *testing.T, prefill ...time.Duration) *reportTest {
	var suite testsuite.WorkflowTestSuite
	r := &reportTest{t: t, env: suite.NewTestWorkflowEnvironment()}
	r.env.SetStartTime(time.Date(2026, 3, 31, 12, 0, 0, 0, liangze.ChinaTime))
	r.env.RegisterWorkflowWithOptions(ReportWorkflow, workflow.RegisterOptions{Name: ReportWorkflowName})
	r.env.RegisterWorkflowWithOptions(EscalationWorkflow, workflow.RegisterOptions{Name: EscalationWorkflowName})
	r.env.RegisterActivity(&activities.Activities{})
	record := func(name string) func(mock.Arguments) {
		return func(args mock.Arguments) { r.calls = append(r.calls, name) }
	}
	if len(prefill) > 0 {
		r.env.OnActivity(a.CreateReport, mock.Anything, mock.Anything).After(prefill[0]).Run(record("CreateReport")).Return(nil)
	}
	for name, fn := range map[string]any{"CreateReport": a.CreateReport, "EditReport": a.EditReport,
		"SubmitReport": a.SubmitReport, "ReviewReport": a.ReviewReport, "RemindReportDue": a.RemindReportDue} {
		r.env.OnActivity(fn, mock.Anything, mock.Anything).Run(record(name)).Return(nil).Maybe()
	}
	r.env.OnActivity(a.FlagReportOverdue, mock.Anything, mock.Anything, mock.Anything).Run(record("FlagReportOverdue")).Return(nil).Maybe()
	r.env.OnActivity(a.ComputeDeadline, mock.Anything, mock.Anything).Return(
		func(_ context.Context, p activities.DeadlineParams) (activities.DeadlineResult, error) {
			due := p.Start.Add(time.Duration(p.Period.N) * day)
			return activities.DeadlineResult{Deadline: liangze.Deadline{At: due}, RemindAt: []time.Time{due.Add(-day)}}, nil
		}).Maybe()
	r.escalations = mockEscalations(r.env, liangze.EscalationRectified)
	return r
}

func (r *reportTest) at(d time.Duration, name string, arg any) {
	r.env.RegisterDelayedCallback(func() {
		r.env.UpdateWorkflow(name, uuid.NewString(), &testsuite.TestUpdateCallback{OnAccept: func() {},
			OnReject: func(err error) { r.refusals = append(r.refusals, fmt.Sprint(err)) },
			OnComplete: func(_ any, err error) {
				if err != nil {
					r.t.Errorf("update %s: %v", name, err)
				}
			}}, arg)
	}, d)
}

func (r *reportTest) run() liangze.ReportState {
	r.env.ExecuteWorkflow(ReportWorkflowName, ReportInput{UnitID: town, Quarter: q1, Timing: ReportTiming{
		Grace: liangze.Period{N: 10, Unit: liangze.CalendarDays}}})
	var st liangze.ReportState
	if err := r.env.GetWorkflowResult(&st); err != nil {
		r.t.Fatal(err)
	}
	return st
}

func (r *reportTest) want(calls string, escalations int) {
	r.t.Helper()
	if got := strings.Join(r.calls, " "); got != calls {
		r.t.Errorf("activities:\n got %s\nwant %s", got, calls)
	}
	if len((*r.escalations)) != escalations {
		r.t.Errorf("%d escalations opened, want %d", len((*r.escalations)), escalations)
	}
}

func TestReportSubmittedInTime(t *testing.T) {
	r := newReportTest(t)
	r.at(day, UpdateEditReport, EditReportInput{ActorID: unitLeader, Notes: "已核对"})
	r.at(2*day, UpdateReviewReport, ReviewReportInput{ActorID: supervisor, Accept: true}) // not submitted yet
	r.at(3*day, UpdateSubmitReport, SubmitReportInput{ActorID: unitLeader})
	r.at(4*day, UpdateReviewReport, ReviewReportInput{ActorID: supervisor, Accept: true})
	if st := r.run(); st != liangze.ReportAccepted {
		t.Errorf("state %s", st)
	}
	if len(r.refusals) != 1 {
		t.Errorf("refusals %v, want the early review", r.refusals)
	}
	r.want("CreateReport EditReport SubmitReport ReviewReport", 0)
}

// A clerk who opens the report while its form is still being pre-filled is not turned
// away: the edit waits for the form and then applies.
func TestReportEditWhilePrefillingWaits(t *testing.T) {
	r := newReportTest(t, time.Hour)
	r.at(time.Minute, UpdateEditReport, EditReportInput{ActorID: unitLeader, Notes: "已核对"})
	r.at(2*time.Minute, UpdateSubmitReport, SubmitReportInput{ActorID: unitLeader})
	r.at(day, UpdateReviewReport, ReviewReportInput{ActorID: supervisor, Accept: true})
	if st := r.run(); st != liangze.ReportAccepted {
		t.Errorf("state %s", st)
	}
	if len(r.refusals) != 0 {
		t.Errorf("refusals %v", r.refusals)
	}
	r.want("CreateReport EditReport SubmitReport ReviewReport", 0)
}

func TestReportReturnedAndResubmitted(t *testing.T) {
	r := newReportTest(t)
	r.at(day, UpdateSubmitReport, SubmitReportInput{ActorID: unitLeader})
	r.at(2*day, UpdateReviewReport, ReviewReportInput{ActorID: supervisor, Accept: false}) // no reason: refused
	r.at(3*day, UpdateReviewReport, ReviewReportInput{ActorID: supervisor, Accept: false, Comment: "人数统计有误"})
	r.at(4*day, UpdateEditReport, EditReportInput{ActorID: unitLeader, Notes: "已更正"})
	r.at(5*day, UpdateSubmitReport, SubmitReportInput{ActorID: unitLeader})
	r.at(6*day, UpdateReviewReport, ReviewReportInput{ActorID: supervisor, Accept: true})
	if st := r.run(); st != liangze.ReportAccepted {
		t.Errorf("state %s", st)
	}
	r.want("CreateReport SubmitReport ReviewReport EditReport SubmitReport ReviewReport", 0)
}

func TestReportMissedDeadlineEscalatesOnce(t *testing.T) {
	r := newReportTest(t)
	// due 11 April; nothing until 15 April, then returned, resubmitted and accepted
	r.at(15*day, UpdateSubmitReport, SubmitReportInput{ActorID: unitLeader})
	r.at(16*day, UpdateReviewReport, ReviewReportInput{ActorID: supervisor, Accept: false, Comment: "补充典型案例"})
	r.at(18*day, UpdateSubmitReport, SubmitReportInput{ActorID: unitLeader})
	r.at(19*day, UpdateReviewReport, ReviewReportInput{ActorID: supervisor, Accept: true})
	r.run()
	r.want("CreateReport RemindReportDue FlagReportOverdue SubmitReport ReviewReport SubmitReport ReviewReport", 1)
	if len((*r.escalations)) == 1 && ((*r.escalations)[0].UnitID != town || (*r.escalations)[0].Level != liangze.LevelAutoReminder) {
		t.Errorf("escalation %+v", (*r.escalations)[0])
	}
}

func TestReportReturnedAfterDeadlineEscalates(t *testing.T) {
	r := newReportTest(t)
	r.at(5*day, UpdateSubmitReport, SubmitReportInput{ActorID: unitLeader}) // in time
	r.at(12*day, UpdateReviewReport, ReviewReportInput{ActorID: supervisor, Accept: false, Comment: "数据不全"})
	r.at(14*day, UpdateSubmitReport, SubmitReportInput{ActorID: unitLeader})
	r.at(15*day, UpdateReviewReport, ReviewReportInput{ActorID: supervisor, Accept: true})
	r.run()
	r.want("CreateReport SubmitReport ReviewReport FlagReportOverdue SubmitReport ReviewReport", 1)
}
