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
	"liangze/store"
)

func TestAssessmentBottomUnitsInterviewedOnce(t *testing.T) {
	var suite testsuite.WorkflowTestSuite
	env := suite.NewTestWorkflowEnvironment()
	env.SetStartTime(time.Date(2027, 12, 20, 9, 0, 0, 0, liangze.ChinaTime))
	env.RegisterWorkflowWithOptions(AssessmentWorkflow, workflow.RegisterOptions{Name: AssessmentWorkflowName})
	env.RegisterWorkflowWithOptions(EscalationWorkflow, workflow.RegisterOptions{Name: EscalationWorkflowName})
	env.RegisterActivity(&activities.Activities{})
	var calls []string
	record := func(name string) func(mock.Arguments) { return func(mock.Arguments) { calls = append(calls, name) } }
	env.OnActivity(a.OpenAssessment, mock.Anything, mock.Anything).Run(record("Open")).Return(nil)
	env.OnActivity(a.ScoreUnit, mock.Anything, mock.Anything).Run(record("Score")).Return(nil)
	nanling, xiping := uuid.New(), uuid.New()
	bottom := []store.BottomUnit{{UnitID: nanling, HeadID: &townHead, Total: 70, Rank: 2}, {UnitID: xiping, Total: 70, Rank: 2}}
	env.OnActivity(a.CloseAssessment, mock.Anything, mock.Anything).Run(record("Close")).Return(bottom, nil)
	env.OnActivity(a.LinkAssessmentEscalation, mock.Anything, mock.Anything).Run(record("Link")).Return(nil)
	opened := mockEscalations(env, liangze.EscalationOpen)
	var refusals []string
	at := func(d time.Duration, name string, arg any) {
		updateAt(env, d, "", name, arg, func(code string) { refusals = append(refusals, name+": "+code) },
			func(code string) { refusals = append(refusals, name+" (in its turn): "+code) })
	}
	at(time.Hour, UpdateScoreUnit, ScoreUnitInput{ActorID: supervisor, UnitID: nanling, Scores: map[string]float64{"tasks": 70}})
	at(2*time.Hour, UpdateScoreUnit, ScoreUnitInput{ActorID: supervisor, UnitID: nanling}) // no scores
	at(3*time.Hour, UpdateCloseAssessment, ActorInput{ActorID: supervisor})
	at(3*time.Hour, UpdateCloseAssessment, ActorInput{ActorID: supervisor}) // arrives with the first: waits its turn
	at(3*time.Hour, UpdateScoreUnit, ScoreUnitInput{ActorID: supervisor, UnitID: xiping, Scores: map[string]float64{"tasks": 99}})
	env.ExecuteWorkflow(AssessmentWorkflowName, AssessmentInput{ParentID: uuid.New(), Year: 2027, BottomN: 1, OpenedBy: supervisor})
	var res AssessmentResult
	if err := env.GetWorkflowResult(&res); err != nil {
		t.Fatal(err)
	}
	escalated := *opened
	if fmt.Sprint(calls) != "[Open Score Close Link Link]" {
		t.Errorf("activities %v", calls)
	}
	if fmt.Sprint(refusals) != "[score_unit: invalid close_assessment (in its turn): conflict score_unit (in its turn): conflict]" {
		t.Errorf("refusals %v", refusals)
	}
	if len(escalated) != 2 || len(res.Escalations) != 2 {
		t.Fatalf("escalations %d (result %v), want one per bottom unit", len(escalated), res.Escalations)
	}
	for _, e := range escalated {
		if e.Level != liangze.LevelInterview || e.ProposedBy == nil || *e.ProposedBy != supervisor || e.Trigger != "assessment_bottom" {
			t.Errorf("escalation %+v", e)
		}
	}
	if *escalated[0].PersonID != townHead || escalated[1].PersonID != nil {
		t.Errorf("heads %v %v", escalated[0].PersonID, escalated[1].PersonID)
	}
}
