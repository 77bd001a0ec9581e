package workflows

import (
	"fmt"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"liangze"
	"liangze/activities"
)

func TestDutiesRemindedAndEscalatedOncePerDeadline(t *testing.T) {
	var suite testsuite.WorkflowTestSuite
	env := suite.NewTestWorkflowEnvironment()
	env.SetStartTime(signoffOpen) // 1 December 2026, opening 2027
	env.RegisterWorkflowWithOptions(DutiesWorkflow, workflow.RegisterOptions{Name: DutiesWorkflowName})
	env.RegisterWorkflowWithOptions(EscalationWorkflow, workflow.RegisterOptions{Name: EscalationWorkflowName})
	env.RegisterActivity(&activities.Activities{})
	commitment, talkA, talkB := uuid.New(), uuid.New(), uuid.New()
	feb1, dec21 := taskListDue, time.Date(2027, 12, 21, 0, 0, 0, 0, liangze.ChinaTime)
	var calls []string
	record := func(name string) func(mock.Arguments) { return func(mock.Arguments) { calls = append(calls, name) } }
	env.OnActivity(a.OpenDuties, mock.Anything, mock.Anything).Run(record("Open")).Return([]activities.DutyDue{
		{ID: commitment, Kind: liangze.DutyCommitment, DueAt: feb1, RemindAt: []time.Time{feb1.Add(-day)}},
		{ID: talkA, Kind: liangze.DutyIntegrityTalk, DueAt: dec21, RemindAt: []time.Time{dec21.Add(-day)}},
		{ID: talkB, Kind: liangze.DutyIntegrityTalk, DueAt: dec21, RemindAt: []time.Time{dec21.Add(-day)}},
	}, nil)
	var remindedAbout, flagged []uuid.UUID
	env.OnActivity(a.CompleteDuty, mock.Anything, mock.Anything).Run(record("Complete")).Return(nil)
	env.OnActivity(a.RemindDuties, mock.Anything, mock.Anything).Run(func(args mock.Arguments) {
		calls = append(calls, "Remind")
		remindedAbout = append(remindedAbout, args.Get(1).(activities.DutiesDueParams).IDs...)
	}).Return(nil)
	env.OnActivity(a.PendingDuties, mock.Anything, mock.Anything, mock.Anything).Return(liangze.Label{ZH: "廉政谈话（赵丽）", EN: "Integrity talk (赵丽)"}, nil)
	env.OnActivity(a.FlagDutiesOverdue, mock.Anything, mock.Anything).Run(func(args mock.Arguments) {
		calls = append(calls, "Flag")
		flagged = append(flagged, args.Get(1).(activities.FlagDutiesOverdueParams).IDs...)
	}).Return(nil)
	opened := mockEscalations(env, liangze.EscalationRectified)
	var refusals []string
	at := func(when time.Time, id uuid.UUID, doneOn string) {
		updateAt(env, when.Sub(signoffOpen), "", UpdateCompleteDuty, CompleteDutyInput{ActorID: unitLeader, DutyID: id, DoneOn: doneOn,
			Note: "会议纪要第3号"}, func(code string) { refusals = append(refusals, code) }, nil)
	}
	at(time.Date(2027, 1, 10, 9, 0, 0, 0, liangze.ChinaTime), commitment, "2027-01-10")
	at(time.Date(2027, 1, 11, 9, 0, 0, 0, liangze.ChinaTime), commitment, "2027-01-11") // done already
	at(time.Date(2027, 1, 12, 9, 0, 0, 0, liangze.ChinaTime), uuid.New(), "2027-01-12") // not this year's
	at(time.Date(2027, 3, 1, 9, 0, 0, 0, liangze.ChinaTime), talkA, "1 March")          // not a date
	at(time.Date(2027, 3, 2, 9, 0, 0, 0, liangze.ChinaTime), talkA, "2027-03-02")
	at(time.Date(2027, 12, 28, 9, 0, 0, 0, liangze.ChinaTime), talkB, "2027-12-28") // late, still recorded
	env.ExecuteWorkflow(DutiesWorkflowName, SignoffInput{UnitID: town, Year: 2027})
	var left int
	if err := env.GetWorkflowResult(&left); err != nil {
		t.Fatal(err)
	}
	if left != 0 || fmt.Sprint(calls) != "[Open Complete Complete Remind Flag Complete]" {
		t.Errorf("left %d, activities %v", left, calls)
	}
	if fmt.Sprint(refusals) != "[conflict conflict invalid]" {
		t.Errorf("refusals %v", refusals)
	}
	if fmt.Sprint(remindedAbout) != fmt.Sprint([]uuid.UUID{talkB}) || fmt.Sprint(flagged) != fmt.Sprint([]uuid.UUID{talkB}) {
		t.Errorf("reminded about %v, flagged %v; want only the talk not held", remindedAbout, flagged)
	}
	if escalated := *opened; len(escalated) != 1 || escalated[0].Trigger != "annual_duty_missed" || escalated[0].Level != liangze.LevelAutoReminder {
		t.Errorf("escalations %+v, want one for the missed deadline", *opened)
	}
}
