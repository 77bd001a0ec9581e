package workflows

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"

	"liangze"
	"liangze/activities"
	"liangze/store"
)

var (
	inspector   = uuid.MustParse("00000000-0000-0000-0000-00000000000a")
	supervisor  = uuid.MustParse("00000000-0000-0000-0000-00000000000b")
	supervisor2 = uuid.MustParse("00000000-0000-0000-0000-00000000000c")
	unitLeader  = uuid.MustParse("00000000-0000-0000-0000-00000000000d")
)

var testTiming = Timing{RectificationPeriod: 10 * 24 * time.Hour, AutoReminderPeriod: 3 * 24 * time.Hour,
	ReminderOffsets: []time.Duration{24 * time.Hour, 3 * 24 * time.Hour}}

// ladder drives one escalation workflow in the SDK's test environment, with activities
// replaced by recorders.
type ladder struct {
	t     *testing.T
	env   *testsuite.TestWorkflowEnvironment
	calls []string
	// at holds the simulated time of each recorded call, by activity name.
	when map[string][]time.Time
	// refusals collects the error types of rejected updates, in order.
	refusals []string
}

func newLadder(t *testing.T) *ladder { return newLadderWith(t, &activities.Activities{}) }

// newLadderWith registers acts, whose ComputeDeadline runs for real; the other activities
// are recorded, not run.
func newLadderWith(t *testing.T, acts *activities.Activities) *ladder {
	var suite testsuite.WorkflowTestSuite
	l := &ladder{t: t, env: suite.NewTestWorkflowEnvironment(), when: map[string][]time.Time{}}
	l.env.RegisterWorkflow(EscalationWorkflow)
	l.env.RegisterActivity(acts)
	record := func(name string) func(args mock.Arguments) {
		return func(args mock.Arguments) {
			l.calls = append(l.calls, name+describe(args.Get(1)))
			l.when[name] = append(l.when[name], l.env.Now())
		}
	}
	for name, fn := range map[string]any{
		"OpenEscalation": a.OpenEscalation, "ProposeStep": a.ProposeStep, "DecideStep": a.DecideStep,
		"RecordTalk": a.RecordTalk, "SubmitRectification": a.SubmitRectification,
		"VerifyRectification": a.VerifyRectification, "MarkOverdue": a.MarkOverdue,
		"SendDueReminder": a.SendDueReminder, "HandOver": a.HandOver, "CloseEscalation": a.CloseEscalation,
		"RescheduleDeadline": a.RescheduleDeadline,
	} {
		l.env.OnActivity(fn, mock.Anything, mock.Anything).Run(record(name)).Return(nil).Maybe()
	}
	return l
}

func describe(arg any) string {
	switch p := arg.(type) {
	case activities.ProposeParams:
		return fmt.Sprintf("(%d,%s)", p.Step.StepNo, p.Level)
	case activities.DecideParams:
		return fmt.Sprintf("(%d,%t)", p.Step.StepNo, p.Approve)
	case activities.VerifyParams:
		return fmt.Sprintf("(%d,%t)", p.Step.StepNo, p.Accepted)
	case activities.ReminderParams:
		return fmt.Sprintf("(%d,%s)", p.Step.StepNo, p.Before)
	case activities.CloseParams:
		return fmt.Sprintf("(%s)", p.Outcome)
	case store.StepChange:
		return fmt.Sprintf("(%d)", p.StepNo)
	}
	return ""
}

// at sends an update at a simulated time after the start.
func (l *ladder) at(d time.Duration, name string, arg any) {
	l.env.RegisterDelayedCallback(func() {
		l.env.UpdateWorkflow(name, "", &testsuite.TestUpdateCallback{
			OnAccept: func() {},
			OnReject: func(err error) {
				var app *temporal.ApplicationError
				if errors.As(err, &app) {
					l.refusals = append(l.refusals, app.Type())
				} else {
					l.refusals = append(l.refusals, err.Error())
				}
			},
			OnComplete: func(_ any, err error) {
				if err != nil {
					l.t.Errorf("update %s failed: %v", name, err)
				}
			},
		}, arg)
	}, d)
}

func (l *ladder) run(level liangze.Level, proposer *uuid.UUID) EscalationStatus {
	return l.runWith(level, proposer, testTiming)
}

func (l *ladder) runWith(level liangze.Level, proposer *uuid.UUID, timing Timing) EscalationStatus {
	l.env.ExecuteWorkflow(EscalationWorkflow, EscalationInput{EscalationID: uuid.New(), UnitID: uuid.New(),
		Trigger: "inspector_proposal", Problem: "主体责任落实不力", Severity: liangze.SeverityGeneral,
		Level: level, Reason: "test", ProposedBy: proposer, Timing: timing})
	if !l.env.IsWorkflowCompleted() {
		l.t.Fatal("workflow did not complete")
	}
	var st EscalationStatus
	if err := l.env.GetWorkflowResult(&st); err != nil {
		l.t.Fatal(err)
	}
	return st
}

func (l *ladder) wantCalls(want ...string) {
	l.t.Helper()
	if got := strings.Join(l.calls, " "); got != strings.Join(want, " ") {
		l.t.Errorf("activities:\n got %s\nwant %s", got, strings.Join(want, " "))
	}
}

func (l *ladder) wantRefusals(want ...string) {
	l.t.Helper()
	if got := strings.Join(l.refusals, ","); got != strings.Join(want, ",") {
		l.t.Errorf("refused updates: got [%s], want [%s]", got, strings.Join(want, ","))
	}
}

const day = 24 * time.Hour

func talk(step int) TalkInput {
	return TalkInput{StepNo: step, ActorID: inspector, ConductedBy: "李明", HeldAt: time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC),
		Content: "指出问题", Requirements: "十日内整改"}
}

func TestApprovedStepRectifiedInTime(t *testing.T) {
	l := newLadder(t)
	l.at(time.Hour, UpdateDecide, DecideInput{StepNo: 1, ActorID: supervisor, Approve: true})
	l.at(2*time.Hour, UpdateRecordTalk, talk(1))
	l.at(8*day, UpdateSubmitRectification, SubmitInput{StepNo: 1, ActorID: unitLeader, Report: "已整改"})
	l.at(9*day, UpdateVerifyRectification, VerifyInput{StepNo: 1, ActorID: inspector, Accepted: true})
	st := l.run(liangze.LevelInterview, &inspector)
	if st.State != liangze.EscalationRectified {
		t.Errorf("state = %s, want rectified", st.State)
	}
	l.wantRefusals()
	l.wantCalls("OpenEscalation", "ProposeStep(1,interview)", "DecideStep(1,true)", "RecordTalk",
		"SendDueReminder(1,72h0m0s)", "SubmitRectification", "VerifyRectification(1,true)", "CloseEscalation(rectified)")
}

func TestRejectedStepClosesEscalation(t *testing.T) {
	l := newLadder(t)
	l.at(time.Hour, UpdateDecide, DecideInput{StepNo: 1, ActorID: supervisor, Approve: false}) // no comment: refused
	l.at(2*time.Hour, UpdateDecide, DecideInput{StepNo: 1, ActorID: supervisor, Approve: false, Comment: "证据不足"})
	st := l.run(liangze.LevelReminderTalk, &inspector)
	if st.State != liangze.EscalationRejected {
		t.Errorf("state = %s, want rejected", st.State)
	}
	l.wantRefusals(liangze.EINVALID)
	l.wantCalls("OpenEscalation", "ProposeStep(1,reminder_talk)", "DecideStep(1,false)", "CloseEscalation(rejected)")
}

func TestFourEyesRefusesTheProposer(t *testing.T) {
	l := newLadder(t)
	l.at(time.Hour, UpdateDecide, DecideInput{StepNo: 1, ActorID: inspector, Approve: true})
	l.at(2*time.Hour, UpdateDecide, DecideInput{StepNo: 1, ActorID: supervisor, Approve: false, Comment: "不予约谈"})
	l.run(liangze.LevelInterview, &inspector)
	l.wantRefusals(liangze.EFORBIDDEN)
	l.wantCalls("OpenEscalation", "ProposeStep(1,interview)", "DecideStep(1,false)", "CloseEscalation(rejected)")
}

func TestWrongStateAndSelfVerificationRefused(t *testing.T) {
	l := newLadder(t)
	l.at(time.Hour, UpdateRecordTalk, talk(1))                                                  // not approved yet
	l.at(2*time.Hour, UpdateDecide, DecideInput{StepNo: 2, ActorID: supervisor, Approve: true}) // no such step
	l.at(3*time.Hour, UpdateDecide, DecideInput{StepNo: 1, ActorID: supervisor, Approve: true})
	l.at(4*time.Hour, UpdateVerifyRectification, VerifyInput{StepNo: 1, ActorID: inspector, Accepted: true}) // nothing submitted
	l.at(5*time.Hour, UpdateRecordTalk, TalkInput{StepNo: 1, ActorID: inspector})                            // fields missing
	l.at(6*time.Hour, UpdateRecordTalk, talk(1))
	l.at(1*day, UpdateSubmitRectification, SubmitInput{StepNo: 1, ActorID: unitLeader, Report: "已整改"})
	l.at(2*day, UpdateVerifyRectification, VerifyInput{StepNo: 1, ActorID: unitLeader, Accepted: true}) // own report
	l.at(3*day, UpdateVerifyRectification, VerifyInput{StepNo: 1, ActorID: inspector, Accepted: false, Comment: "台账不全"})
	l.at(4*day, UpdateSubmitRectification, SubmitInput{StepNo: 1, ActorID: unitLeader, Report: "已补齐台账"})
	l.at(5*day, UpdateVerifyRectification, VerifyInput{StepNo: 1, ActorID: supervisor, Accepted: true})
	st := l.run(liangze.LevelInterview, &inspector)
	if st.State != liangze.EscalationRectified {
		t.Errorf("state = %s", st.State)
	}
	l.wantRefusals(liangze.ECONFLICT, liangze.ECONFLICT, liangze.ECONFLICT, liangze.EINVALID, liangze.EFORBIDDEN)
}

func TestOverdueProposesNextLevelAutomatically(t *testing.T) {
	l := newLadder(t)
	l.at(time.Hour, UpdateDecide, DecideInput{StepNo: 1, ActorID: supervisor, Approve: true})
	l.at(2*time.Hour, UpdateRecordTalk, talk(1))
	// deadline is 10 days after the talk; nothing is submitted; step 2 (函询) is proposed by the system
	l.at(11*day, UpdateDecide, DecideInput{StepNo: 2, ActorID: inspector, Approve: true}) // any other user may approve a system proposal
	l.at(11*day+time.Hour, UpdateRecordTalk, talk(2))
	l.at(12*day, UpdateSubmitRectification, SubmitInput{StepNo: 2, ActorID: unitLeader, Report: "已回复函询并整改"})
	l.at(13*day, UpdateVerifyRectification, VerifyInput{StepNo: 2, ActorID: supervisor2, Accepted: true})
	st := l.run(liangze.LevelInterview, &inspector)
	if st.State != liangze.EscalationRectified || st.Step.No != 2 || st.Step.Level != liangze.LevelInquiry {
		t.Errorf("status = %+v, want rectified at step 2 (written inquiry)", st)
	}
	l.wantCalls("OpenEscalation", "ProposeStep(1,interview)", "DecideStep(1,true)", "RecordTalk",
		"SendDueReminder(1,72h0m0s)", "SendDueReminder(1,24h0m0s)", "MarkOverdue(1)", "ProposeStep(2,written_inquiry)",
		"DecideStep(2,true)", "RecordTalk", "SubmitRectification", "VerifyRectification(2,true)", "CloseEscalation(rectified)")
}

func TestAutomaticReminderNeedsNoApprovalThenEscalates(t *testing.T) {
	l := newLadder(t)
	// 3 days to rectify; missed, so a reminder talk is proposed and rejected
	l.at(4*day, UpdateDecide, DecideInput{StepNo: 2, ActorID: supervisor, Approve: false, Comment: "已口头提醒"})
	st := l.run(liangze.LevelAutoReminder, nil)
	if st.State != liangze.EscalationRejected {
		t.Errorf("state = %s", st.State)
	}
	l.wantCalls("OpenEscalation", "ProposeStep(1,auto_reminder)", "SendDueReminder(1,24h0m0s)", "MarkOverdue(1)",
		"ProposeStep(2,reminder_talk)", "DecideStep(2,false)", "CloseEscalation(rejected)")
}

func TestTopLevelHandsOverToAccountability(t *testing.T) {
	l := newLadder(t)
	l.at(time.Hour, UpdateDecide, DecideInput{StepNo: 1, ActorID: supervisor, Approve: true})
	l.at(2*time.Hour, UpdateRecordTalk, talk(1))
	l.at(11*day, UpdateDecide, DecideInput{StepNo: 2, ActorID: supervisor, Approve: true})
	st := l.run(liangze.LevelCirculated, &inspector)
	if st.State != liangze.EscalationHandedOver || st.Step.Level != liangze.LevelAccountability {
		t.Errorf("status = %+v, want handed over at accountability", st)
	}
	l.wantCalls("OpenEscalation", "ProposeStep(1,circulated_criticism)", "DecideStep(1,true)", "RecordTalk",
		"SendDueReminder(1,72h0m0s)", "SendDueReminder(1,24h0m0s)", "MarkOverdue(1)", "ProposeStep(2,accountability)",
		"DecideStep(2,true)", "HandOver", "CloseEscalation(handed_over)")
}

func TestSubmittedInTimeWaitsForVerificationPastDeadline(t *testing.T) {
	l := newLadder(t)
	l.at(time.Hour, UpdateDecide, DecideInput{StepNo: 1, ActorID: supervisor, Approve: true})
	l.at(2*time.Hour, UpdateRecordTalk, talk(1))
	l.at(9*day, UpdateSubmitRectification, SubmitInput{StepNo: 1, ActorID: unitLeader, Report: "已整改"})
	l.at(12*day, UpdateVerifyRectification, VerifyInput{StepNo: 1, ActorID: inspector, Accepted: true})
	st := l.run(liangze.LevelInterview, &inspector)
	if st.State != liangze.EscalationRectified {
		t.Errorf("state = %s, want rectified: the report came before the deadline", st.State)
	}
}
