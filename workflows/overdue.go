package workflows

import (
	"github.com/google/uuid"
	"go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/workflow"

	"liangze"
)

// overdue describes a missed deadline that opens a talk-and-reminder escalation.
type overdue struct {
	EscalationID uuid.UUID
	UnitID       uuid.UUID
	Trigger      string
	Problem      liangze.Label
	Reason       liangze.Label
	Timing       Timing
}

// openOverdueEscalation opens one escalation, at the automatic reminder, against the unit
// that missed a deadline. The escalation lives on by itself (process 2).
func openOverdueEscalation(ctx workflow.Context, o overdue) error {
	return startEscalation(ctx, EscalationInput{EscalationID: o.EscalationID,
		UnitID: o.UnitID, Trigger: o.Trigger, Severity: liangze.SeverityGeneral, Level: liangze.LevelAutoReminder,
		Problem: o.Problem.ZH + " / " + o.Problem.EN, Reason: o.Reason.ZH + " / " + o.Reason.EN, Timing: o.Timing})
}

// rowFirst marks the change that stores an escalation's row before starting its workflow,
// so the starter's link to it (an overdue flag, an assessment result) never waits on it.
const rowFirst = "escalation-row-first"

// startEscalation starts an escalation workflow as an abandoned child, once, after storing
// its row (for histories from this change on).
func startEscalation(ctx workflow.Context, in EscalationInput) error {
	id := EscalationWorkflowID(in.EscalationID)
	if workflow.GetVersion(ctx, rowFirst, workflow.DefaultVersion, 1) == 1 {
		actx := workflow.WithActivityOptions(ctx, activityOptions)
		if err := workflow.ExecuteActivity(actx, a.OpenEscalation, escalationRecord(id, in, workflow.Now(ctx))).Get(ctx, nil); err != nil {
			return err
		}
	}
	cctx := workflow.WithChildOptions(ctx, workflow.ChildWorkflowOptions{WorkflowID: id, ParentClosePolicy: enums.PARENT_CLOSE_POLICY_ABANDON})
	return workflow.ExecuteChildWorkflow(cctx, EscalationWorkflowName, in).GetChildWorkflowExecution().Get(ctx, nil)
}
