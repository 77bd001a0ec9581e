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
	cctx := workflow.WithChildOptions(ctx, workflow.ChildWorkflowOptions{WorkflowID: EscalationWorkflowID(o.EscalationID),
		ParentClosePolicy: enums.PARENT_CLOSE_POLICY_ABANDON})
	child := workflow.ExecuteChildWorkflow(cctx, EscalationWorkflowName, EscalationInput{EscalationID: o.EscalationID,
		UnitID: o.UnitID, Trigger: o.Trigger, Severity: liangze.SeverityGeneral, Level: liangze.LevelAutoReminder,
		Problem: o.Problem.ZH + " / " + o.Problem.EN, Reason: o.Reason.ZH + " / " + o.Reason.EN, Timing: o.Timing})
	return child.GetChildWorkflowExecution().Get(ctx, nil)
}
