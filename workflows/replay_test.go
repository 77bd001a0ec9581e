package workflows

import (
	"os"
	"path/filepath"
	"testing"

	"go.temporal.io/sdk/client"
	"go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"
)

// TestReplayRecordedHistories replays every history in testdata/ against today's code: a
// change that would break open escalations, cases, reports, notices or sign-offs fails
// here. Record new ones with
// LIANGZE_RECORD_HISTORY=$PWD/workflows/testdata go test ./api/
// (existing files are never overwritten) and keep the old files.
func TestReplayRecordedHistories(t *testing.T) {
	files, err := filepath.Glob("testdata/*_history.json")
	if err != nil || len(files) < 13 {
		t.Fatalf("histories: %v (%d files, want at least 13)", err, len(files))
	}
	r := worker.NewWorkflowReplayer()
	for name, wf := range map[string]any{
		EscalationWorkflowName: EscalationWorkflow, CaseWorkflowName: CaseWorkflow,
		ResponsibilityWorkflowName: ResponsibilityWorkflow, ReportWorkflowName: ReportWorkflow,
		ReportRoundWorkflowName: ReportRoundWorkflow, NoticeWorkflowName: NoticeWorkflow,
		SignoffWorkflowName: SignoffWorkflow, TaskListWorkflowName: TaskListWorkflow, AssessmentWorkflowName: AssessmentWorkflow,
		DutiesWorkflowName: DutiesWorkflow, SignoffRoundWorkflowName: SignoffRoundWorkflow,
	} {
		r.RegisterWorkflowWithOptions(wf, workflow.RegisterOptions{Name: name})
	}
	for _, h := range files {
		t.Run(filepath.Base(h), func(t *testing.T) {
			if err := replay(r, h); err != nil {
				t.Errorf("replay %s: %v", h, err)
			}
		})
	}
}

// replay replays one history under its original workflow id: workflows that derive
// behaviour from their id (a notice started by its schedule) replay as they ran.
func replay(r worker.WorkflowReplayer, file string) error {
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	h, err := client.HistoryFromJSON(f, client.HistoryJSONOptions{})
	if err != nil {
		return err
	}
	started := h.Events[0].GetWorkflowExecutionStartedEventAttributes()
	return r.ReplayWorkflowHistoryWithOptions(nil, h, worker.ReplayWorkflowHistoryOptions{
		OriginalExecution: workflow.Execution{ID: started.GetWorkflowId(), RunID: started.GetOriginalExecutionRunId()}})
}
