package workflows

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"liangze"
	"liangze/activities"
)

// signoffTest drives a unit's year 2027 opened on 1 December 2026: the task list is due by
// 31 January 2027 (or 10 days after opening, whichever is later), reminded a day before.
type signoffTest struct {
	t           *testing.T
	env         *testsuite.TestWorkflowEnvironment
	calls       []string
	refusals    []string
	failures    []string
	escalations *[]EscalationInput
}

var (
	discHead    = uuid.MustParse("00000000-0000-0000-0000-0000000000d1")
	year2027    = 2027
	signoffOpen = time.Date(2026, 12, 1, 9, 0, 0, 0, liangze.ChinaTime)
	taskListDue = time.Date(2027, 2, 1, 0, 0, 0, 0, liangze.ChinaTime)
)

// newSignoffTest builds the test; failSubmit makes the first submission fail as the store
// fails it when a leader has no item; dues are the year's duties (none by default).
func newSignoffTest(t *testing.T, failSubmit bool, dues ...activities.DutyDue) *signoffTest {
	var suite testsuite.WorkflowTestSuite
	s := &signoffTest{t: t, env: suite.NewTestWorkflowEnvironment()}
	s.env.SetStartTime(signoffOpen)
	s.env.RegisterWorkflowWithOptions(SignoffWorkflow, workflow.RegisterOptions{Name: SignoffWorkflowName})
	s.env.RegisterWorkflowWithOptions(TaskListWorkflow, workflow.RegisterOptions{Name: TaskListWorkflowName})
	s.env.RegisterWorkflowWithOptions(DutiesWorkflow, workflow.RegisterOptions{Name: DutiesWorkflowName})
	s.env.RegisterWorkflowWithOptions(EscalationWorkflow, workflow.RegisterOptions{Name: EscalationWorkflowName})
	s.env.RegisterActivity(&activities.Activities{})
	s.env.OnActivity(a.OpenDuties, mock.Anything, mock.Anything).Return(append([]activities.DutyDue{}, dues...), nil)
	record := func(name string) func(mock.Arguments) {
		return func(args mock.Arguments) { s.calls = append(s.calls, name) }
	}
	if failSubmit {
		s.env.OnActivity(a.SubmitTaskList, mock.Anything, mock.Anything).Run(record("SubmitRefused")).Return(
			temporal.NewNonRetryableApplicationError("一岗双责：赵丽 尚无分解任务", liangze.EINVALID, nil)).Once()
	}
	for name, fn := range map[string]any{"OpenSignoff": a.OpenSignoff, "SaveTaskList": a.SaveTaskList, "SaveBody": a.SaveBody,
		"SubmitTaskList": a.SubmitTaskList, "SignTaskList": a.SignTaskList, "ReturnTaskList": a.ReturnTaskList,
		"ReviseTaskList": a.ReviseTaskList, "RemindSignoffDue": a.RemindSignoffDue} {
		s.env.OnActivity(fn, mock.Anything, mock.Anything).Run(record(name)).Return(nil).Maybe()
	}
	s.env.OnActivity(a.FlagSignoffOverdue, mock.Anything, mock.Anything, mock.Anything).Run(record("FlagSignoffOverdue")).Return(nil).Maybe()
	s.env.OnActivity(a.ComputeDeadline, mock.Anything, mock.Anything).Return(
		func(_ context.Context, p activities.DeadlineParams) (activities.DeadlineResult, error) {
			due := p.Start.Add(time.Duration(p.Period.N) * day)
			if p.By != nil && p.By.After(due) {
				due = *p.By
			}
			return activities.DeadlineResult{Deadline: liangze.Deadline{At: due}, RemindAt: []time.Time{due.Add(-day)}}, nil
		}).Maybe()
	s.escalations = mockEscalations(s.env, liangze.EscalationRectified)
	return s
}

// at sends an update to the task-list workflow at a time after opening.
func (s *signoffTest) at(d time.Duration, name string, arg any) {
	s.send(d, TaskListWorkflowID(town, year2027), name, arg)
}

// send sends an update to a workflow of the year ("" for the one under test), recording
// refusals and failures by update name and error code.
func (s *signoffTest) send(d time.Duration, workflowID, name string, arg any) {
	updateAt(s.env, d, workflowID, name, arg, func(code string) { s.refusals = append(s.refusals, name+": "+code) },
		func(code string) { s.failures = append(s.failures, name+": "+code) })
}

func (s *signoffTest) run() liangze.SignoffState {
	s.env.ExecuteWorkflow(SignoffWorkflowName, SignoffInput{UnitID: town, Year: year2027, Timing: SignoffTiming{
		TaskListBy: "01-31", Grace: liangze.Period{N: 10, Unit: liangze.CalendarDays}}})
	var st liangze.SignoffState
	if err := s.env.GetWorkflowResult(&st); err != nil {
		s.t.Fatal(err)
	}
	return st
}

func (s *signoffTest) want(calls string, refusals, failures []string, escalations int) {
	s.t.Helper()
	if got := strings.Join(s.calls, " "); got != calls {
		s.t.Errorf("activities:\n got %s\nwant %s", got, calls)
	}
	if fmt.Sprint(s.refusals) != fmt.Sprint(refusals) {
		s.t.Errorf("refusals %v, want %v", s.refusals, refusals)
	}
	if fmt.Sprint(s.failures) != fmt.Sprint(failures) {
		s.t.Errorf("failures %v, want %v", s.failures, failures)
	}
	if len((*s.escalations)) != escalations {
		s.t.Errorf("%d escalations opened, want %d", len((*s.escalations)), escalations)
	}
}

var draft = SaveTaskListInput{ActorID: unitLeader, Items: []liangze.TaskItem{{Content: "落实党风廉政建设主体责任", LeadLeaderID: townHead,
	Kind: liangze.LeadershipPrincipal, LeadDepartments: []string{"党政办"}, Deadline: "2027-12-31", Standard: "每季度专题研究1次"}}}

func sign(part liangze.SignedPart, person uuid.UUID, opinion string) SignTaskListInput {
	return SignTaskListInput{ActorID: unitLeader, PersonID: person, Part: part, Opinion: opinion}
}

func TestTaskListSignedInTime(t *testing.T) {
	s := newSignoffTest(t, false)
	s.at(day, UpdateSaveTaskList, draft)
	s.at(2*day, UpdateSignTaskList, sign(liangze.PartPrimary, townHead, "同意")) // not submitted yet
	s.at(3*day, UpdateSubmitTaskList, ActorInput{ActorID: unitLeader})
	s.at(4*day, UpdateSignTaskList, sign(liangze.PartSupervisory, discHead, "同意")) // head signs first
	s.at(5*day, UpdateSignTaskList, sign(liangze.PartPrimary, townHead, ""))       // no opinion
	s.at(6*day, UpdateSignTaskList, sign(liangze.PartPrimary, townHead, "任务分解到位，同意"))
	s.at(7*day, UpdateSignTaskList, sign(liangze.PartSupervisory, discHead, "已审核监督责任"))
	s.at(8*day, UpdateSaveTaskList, draft) // signed content cannot change
	if st := s.run(); st != liangze.SignoffSigned {
		t.Errorf("state %s", st)
	}
	s.want("OpenSignoff SaveTaskList SubmitTaskList SignTaskList SignTaskList",
		[]string{"sign_task_list: conflict", "sign_task_list: conflict", "sign_task_list: invalid", "save_task_list: conflict"}, nil, 0)
}

func TestTaskListMissingLeaderBlocksSubmission(t *testing.T) {
	s := newSignoffTest(t, true)
	s.at(day, UpdateSaveTaskList, draft)
	s.at(2*day, UpdateSubmitTaskList, ActorInput{ActorID: unitLeader}) // refused by the store: a leader has no item
	s.at(3*day, UpdateSignTaskList, sign(liangze.PartPrimary, townHead, "同意"))
	s.at(4*day, UpdateSaveTaskList, draft) // still a draft: the clerk adds the item
	s.at(5*day, UpdateSubmitTaskList, ActorInput{ActorID: unitLeader})
	s.at(6*day, UpdateSignTaskList, sign(liangze.PartPrimary, townHead, "同意"))
	s.at(7*day, UpdateSignTaskList, sign(liangze.PartSupervisory, discHead, "同意"))
	if st := s.run(); st != liangze.SignoffSigned {
		t.Errorf("state %s", st)
	}
	s.want("OpenSignoff SaveTaskList SubmitRefused SaveTaskList SubmitTaskList SignTaskList SignTaskList",
		[]string{"sign_task_list: conflict"}, []string{"submit_task_list: invalid"}, 0)
}

func TestTaskListMissedDeadlineEscalatesOnce(t *testing.T) {
	s := newSignoffTest(t, false)
	late := taskListDue.Sub(signoffOpen) + 5*day
	s.at(late, UpdateSaveTaskList, draft)
	s.at(late+day, UpdateSubmitTaskList, ActorInput{ActorID: unitLeader})
	s.at(late+2*day, UpdateReturnTaskList, ReasonInput{ActorID: unitLeader}) // no reason
	s.at(late+3*day, UpdateReturnTaskList, ReasonInput{ActorID: unitLeader, Reason: "牵头部门不明确"})
	s.at(late+4*day, UpdateSubmitTaskList, ActorInput{ActorID: unitLeader})
	s.at(late+5*day, UpdateSignTaskList, sign(liangze.PartPrimary, townHead, "同意"))
	s.at(late+6*day, UpdateSignTaskList, sign(liangze.PartSupervisory, discHead, "同意"))
	if st := s.run(); st != liangze.SignoffSigned {
		t.Errorf("state %s", st)
	}
	s.want("OpenSignoff RemindSignoffDue FlagSignoffOverdue SaveTaskList SubmitTaskList ReturnTaskList SubmitTaskList SignTaskList SignTaskList",
		[]string{"return_task_list: invalid"}, nil, 1)
	if len((*s.escalations)) == 1 && ((*s.escalations)[0].UnitID != town || (*s.escalations)[0].Trigger != "task_list_unsigned") {
		t.Errorf("escalation %+v", (*s.escalations)[0])
	}
}

func TestTaskListRevisedAfterSigningIsSignedAgain(t *testing.T) {
	s := newSignoffTest(t, false)
	s.at(day, UpdateSaveTaskList, draft)
	s.at(2*day, UpdateSubmitTaskList, ActorInput{ActorID: unitLeader})
	s.at(3*day, UpdateSignTaskList, sign(liangze.PartPrimary, townHead, "同意"))
	s.at(4*day, UpdateSignTaskList, sign(liangze.PartSupervisory, discHead, "同意"))
	s.at(100*day, UpdateReviseTaskList, ReasonInput{ActorID: unitLeader}) // no reason
	s.at(101*day, UpdateReviseTaskList, ReasonInput{ActorID: unitLeader, Reason: "班子成员分工调整"})
	s.at(102*day, UpdateSaveTaskList, draft)
	s.at(103*day, UpdateSubmitTaskList, ActorInput{ActorID: unitLeader})
	s.at(104*day, UpdateSignTaskList, sign(liangze.PartPrimary, townHead, "同意调整"))
	s.at(105*day, UpdateSignTaskList, sign(liangze.PartSupervisory, discHead, "同意调整"))
	if st := s.run(); st != liangze.SignoffSigned {
		t.Errorf("state %s", st)
	}
	s.want("OpenSignoff SaveTaskList SubmitTaskList SignTaskList SignTaskList ReviseTaskList SaveTaskList SubmitTaskList SignTaskList SignTaskList",
		[]string{"revise_task_list: invalid"}, nil, 0)
}

// A whole simulated year through the year's workflow: the task list signed in January, the
// commitment and a talk done, the other talk missed (one escalation), the year closing on 1
// January 2028 with both phases finished.
func TestAnnualSignoffWholeYear(t *testing.T) {
	commitment, talkA, talkB := uuid.New(), uuid.New(), uuid.New()
	dec21 := time.Date(2027, 12, 21, 0, 0, 0, 0, liangze.ChinaTime)
	s := newSignoffTest(t, false,
		activities.DutyDue{ID: commitment, Kind: liangze.DutyCommitment, DueAt: taskListDue, RemindAt: []time.Time{taskListDue.Add(-day)}},
		activities.DutyDue{ID: talkA, Kind: liangze.DutyIntegrityTalk, DueAt: dec21}, activities.DutyDue{ID: talkB, Kind: liangze.DutyIntegrityTalk, DueAt: dec21})
	s.env.OnActivity(a.CompleteDuty, mock.Anything, mock.Anything).Run(func(mock.Arguments) { s.calls = append(s.calls, "CompleteDuty") }).Return(nil)
	s.env.OnActivity(a.PendingDuties, mock.Anything, mock.Anything, mock.Anything).Return(liangze.Label{ZH: "廉政谈话", EN: "Integrity talk"}, nil)
	s.env.OnActivity(a.FlagDutiesOverdue, mock.Anything, mock.Anything).Run(func(mock.Arguments) { s.calls = append(s.calls, "FlagDutiesOverdue") }).Return(nil)
	duty := func(d time.Duration, id uuid.UUID, on string) {
		s.send(d, DutiesWorkflowID(town, year2027), UpdateCompleteDuty, CompleteDutyInput{ActorID: unitLeader, DutyID: id, DoneOn: on})
	}
	jan := func(d int) time.Duration {
		return time.Date(2027, 1, d, 10, 0, 0, 0, liangze.ChinaTime).Sub(signoffOpen)
	}
	s.at(jan(5), UpdateSaveTaskList, draft)
	s.at(jan(6), UpdateSubmitTaskList, ActorInput{ActorID: unitLeader})
	s.at(jan(7), UpdateSignTaskList, sign(liangze.PartPrimary, townHead, "同意"))
	s.at(jan(8), UpdateSignTaskList, sign(liangze.PartSupervisory, discHead, "同意"))
	duty(jan(20), commitment, "2027-01-20")
	duty(jan(21)+200*day, talkA, "2027-08-09")
	if st := s.run(); st != liangze.SignoffSigned {
		t.Errorf("task list %s", st)
	}
	if now := s.env.Now().In(liangze.ChinaTime); now.Before(time.Date(2028, 1, 1, 0, 0, 0, 0, liangze.ChinaTime)) {
		t.Errorf("the year ended on %s, before it was over", now)
	}
	s.want("OpenSignoff SaveTaskList SubmitTaskList SignTaskList SignTaskList CompleteDuty CompleteDuty FlagDutiesOverdue", nil, nil, 1)
	if len((*s.escalations)) == 1 && (*s.escalations)[0].Trigger != "annual_duty_missed" {
		t.Errorf("escalation %+v, want the missed talk's", (*s.escalations)[0])
	}
}

// A letter (责任书) is signed by the unit's head, then by the upper level's secretary; the
// discipline body does not sign it.
func TestLetterSignedByHeadThenIssuer(t *testing.T) {
	s := newSignoffTest(t, false)
	upperHead := uuid.New()
	send := func(d time.Duration, name string, arg any) { s.send(d, "", name, arg) }
	send(day, UpdateSaveTaskList, draft) // items, no text
	send(2*day, UpdateSaveTaskList, SaveTaskListInput{ActorID: unitLeader, Body: "一、责任目标……二、责任内容……"})
	send(3*day, UpdateSubmitTaskList, ActorInput{ActorID: unitLeader})
	send(4*day, UpdateSignTaskList, sign(liangze.PartSupervisory, discHead, "同意"))
	send(5*day, UpdateSignTaskList, sign(liangze.PartPrimary, townHead, "承诺履行"))
	send(6*day, UpdateSignTaskList, sign(liangze.PartIssuer, upperHead, "同意签订"))
	s.env.ExecuteWorkflow(TaskListWorkflowName, SignoffInput{UnitID: town, Year: year2027, Document: liangze.DocLetter,
		Timing: SignoffTiming{LetterBy: "01-31", Grace: liangze.Period{N: 10, Unit: liangze.CalendarDays}}})
	var st liangze.SignoffState
	if err := s.env.GetWorkflowResult(&st); err != nil {
		t.Fatal(err)
	}
	if st != liangze.SignoffSigned {
		t.Errorf("letter %s", st)
	}
	s.want("OpenSignoff SaveBody SubmitTaskList SignTaskList SignTaskList",
		[]string{"save_task_list: invalid", "sign_task_list: invalid"}, nil, 0)
}
