package workflows

import (
	"errors"

	"github.com/google/uuid"
	"go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"liangze"
)

// ReportRoundWorkflowName is the workflow a Temporal Schedule runs each quarter.
const ReportRoundWorkflowName = "QuarterlyReportRound"

// ReportRoundInput names the subtree whose units report, and their timing. The quarter is
// the one the round runs in.
type ReportRoundInput struct {
	RootUnitID uuid.UUID
	Timing     ReportTiming
}

// ReportRoundResult counts the reports the round started and those that existed already.
type ReportRoundResult struct {
	Quarter  liangze.Quarter
	Started  int
	Existing int
}

// ReportRoundWorkflow starts the quarterly report of every unit in a subtree for the
// quarter it runs in. Each report runs on by itself; one already started is left alone.
func ReportRoundWorkflow(ctx workflow.Context, in ReportRoundInput) (ReportRoundResult, error) {
	now := workflow.Now(ctx).In(liangze.ChinaTime)
	res := ReportRoundResult{Quarter: liangze.Quarter{Year: now.Year(), Quarter: (int(now.Month())-1)/3 + 1}}
	var err error
	res.Started, res.Existing, err = startEach(ctx, in.RootUnitID, func(unit uuid.UUID) (string, string, any) {
		return ReportWorkflowID(unit, res.Quarter), ReportWorkflowName, ReportInput{UnitID: unit, Quarter: res.Quarter, Timing: in.Timing}
	})
	if err != nil {
		return res, err
	}
	workflow.GetLogger(ctx).Info("quarterly report round", "quarter", res.Quarter.String(), "started", res.Started, "existing", res.Existing)
	return res, nil
}

// startEach starts, as an abandoned child, one workflow per unit of the subtree under root
// (id, name and input from child), counting those started and those that existed already.
func startEach(ctx workflow.Context, root uuid.UUID, child func(uuid.UUID) (id, name string, input any)) (started, existing int, err error) {
	var units []uuid.UUID
	ctx = workflow.WithActivityOptions(ctx, activityOptions)
	if err := workflow.ExecuteActivity(ctx, a.SubtreeUnits, root).Get(ctx, &units); err != nil {
		return 0, 0, err
	}
	for _, unit := range units {
		id, name, input := child(unit)
		cctx := workflow.WithChildOptions(ctx, workflow.ChildWorkflowOptions{WorkflowID: id,
			ParentClosePolicy: enums.PARENT_CLOSE_POLICY_ABANDON, WorkflowIDReusePolicy: enums.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE})
		err := workflow.ExecuteChildWorkflow(cctx, name, input).GetChildWorkflowExecution().Get(ctx, nil)
		var exists *temporal.ChildWorkflowExecutionAlreadyStartedError
		switch {
		case errors.As(err, &exists):
			existing++
		case err != nil:
			return started, existing, err
		default:
			started++
		}
	}
	return started, existing, nil
}
