package workflows

import (
	"context"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/converter"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"liangze"
	"liangze/activities"
)

func TestNoticeRejectedThenClosed(t *testing.T) {
	var suite testsuite.WorkflowTestSuite
	env := suite.NewTestWorkflowEnvironment()
	env.SetStartTime(time.Date(2026, 5, 1, 2, 0, 0, 0, liangze.ChinaTime))
	env.RegisterWorkflowWithOptions(NoticeWorkflow, workflow.RegisterOptions{Name: NoticeWorkflowName})
	env.RegisterActivity(&activities.Activities{})
	var drafted activities.DraftNoticeParams
	var decided []activities.DecideNoticeParams
	env.OnActivity(a.DraftNotice, mock.Anything, mock.Anything).Return(
		func(_ context.Context, p activities.DraftNoticeParams) ([]uuid.UUID, error) {
			drafted = p
			return []uuid.UUID{uuid.New()}, nil
		})
	env.OnActivity(a.DecideNotice, mock.Anything, mock.Anything).Return(
		func(_ context.Context, p activities.DecideNoticeParams) error {
			decided = append(decided, p)
			return nil
		})
	var refusals int
	send := func(d time.Duration, in NoticeDecision) {
		env.RegisterDelayedCallback(func() {
			env.UpdateWorkflow(UpdateDecideNotice, uuid.NewString(), &testsuite.TestUpdateCallback{OnAccept: func() {},
				OnReject: func(error) { refusals++ }, OnComplete: func(any, error) {}}, in)
		}, d)
	}
	send(time.Hour, NoticeDecision{ActorID: supervisor, Publish: false})                     // no reason
	send(2*time.Hour, NoticeDecision{ActorID: supervisor, Publish: false, Comment: "案例待核实"}) // rejected
	root := uuid.New()
	// the canonical id of March–April 2026
	env.SetStartWorkflowOptions(client.StartWorkflowOptions{ID: NoticeWorkflowID(root, time.Date(2026, 3, 1, 0, 0, 0, 0, liangze.ChinaTime))})
	env.ExecuteWorkflow(NoticeWorkflowName, NoticeInput{RootUnitID: root})
	var state string
	if err := env.GetWorkflowResult(&state); err != nil {
		t.Fatal(err)
	}
	if state != "rejected" || refusals != 1 || len(decided) != 1 || decided[0].Publish {
		t.Errorf("state %s, %d refusals, decisions %+v", state, refusals, decided)
	}
	if drafted.From.Month() != time.March || drafted.To.Month() != time.May || drafted.From.In(liangze.ChinaTime).Day() != 1 {
		t.Errorf("period %s – %s, want March and April", drafted.From, drafted.To)
	}
}

// Started by the schedule (under another id), the workflow runs the period's notice under
// its own id.
func TestNoticeFromScheduleDelegates(t *testing.T) {
	var suite testsuite.WorkflowTestSuite
	env := suite.NewTestWorkflowEnvironment()
	env.SetStartTime(time.Date(2026, 5, 1, 2, 0, 0, 0, liangze.ChinaTime))
	env.RegisterWorkflowWithOptions(NoticeWorkflow, workflow.RegisterOptions{Name: NoticeWorkflowName})
	env.RegisterActivity(&activities.Activities{})
	env.OnActivity(a.DraftNotice, mock.Anything, mock.Anything).Return([]uuid.UUID{}, nil).Maybe()
	var children []string
	env.SetOnChildWorkflowStartedListener(func(info *workflow.Info, _ workflow.Context, _ converter.EncodedValues) {
		children = append(children, info.WorkflowExecution.ID)
	})
	env.OnActivity(a.DecideNotice, mock.Anything, mock.Anything).Return(nil).Maybe()
	root := uuid.New()
	canonical := NoticeWorkflowID(root, time.Date(2026, 3, 1, 0, 0, 0, 0, liangze.ChinaTime))
	env.RegisterDelayedCallback(func() { // let the period's notice finish
		_ = env.UpdateWorkflowByID(canonical, UpdateDecideNotice, uuid.NewString(), &testsuite.TestUpdateCallback{
			OnAccept: func() {}, OnReject: func(error) {}, OnComplete: func(any, error) {}}, NoticeDecision{ActorID: supervisor, Publish: true})
	}, time.Hour)
	env.ExecuteWorkflow(NoticeWorkflow, NoticeInput{RootUnitID: root})
	var state string
	if err := env.GetWorkflowResult(&state); err != nil {
		t.Fatal(err)
	}
	want := NoticeWorkflowID(root, time.Date(2026, 3, 1, 0, 0, 0, 0, liangze.ChinaTime))
	if state != "delegated" || len(children) != 1 || children[0] != want {
		t.Errorf("state %s, children %v, want one child %s", state, children, want)
	}
}
