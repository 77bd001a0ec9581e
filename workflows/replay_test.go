package workflows

import (
	"testing"

	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"
)

// Histories of released workflows, replayed against today's code: a change that would
// break open escalations fails here. Record a new one with
// LIANGZE_RECORD_HISTORY=$PWD/workflows/testdata/<name>.json go test -run TestLadderEndToEnd ./api/
// and keep the old files.
var histories = []string{
	"testdata/escalation_history.json", // interview → overdue → written inquiry → rectified
}

func TestReplayRecordedHistories(t *testing.T) {
	r := worker.NewWorkflowReplayer()
	r.RegisterWorkflowWithOptions(EscalationWorkflow, workflow.RegisterOptions{Name: EscalationWorkflowName})
	r.RegisterWorkflowWithOptions(CaseWorkflow, workflow.RegisterOptions{Name: CaseWorkflowName})
	r.RegisterWorkflowWithOptions(ResponsibilityWorkflow, workflow.RegisterOptions{Name: ResponsibilityWorkflowName})
	r.RegisterWorkflowWithOptions(ReportWorkflow, workflow.RegisterOptions{Name: ReportWorkflowName})
	r.RegisterWorkflowWithOptions(NoticeWorkflow, workflow.RegisterOptions{Name: NoticeWorkflowName})
	for _, h := range histories {
		if err := r.ReplayWorkflowHistoryFromJSONFile(nil, h); err != nil {
			t.Errorf("replay %s: %v", h, err)
		}
	}
}
