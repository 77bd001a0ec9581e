package workflows

import (
	"time"

	"github.com/google/uuid"
	"go.temporal.io/sdk/workflow"

	"liangze"
)

// SignoffRoundWorkflowName is the workflow a Temporal Schedule runs to open a year.
const SignoffRoundWorkflowName = "AnnualSignoffRound"

// SignoffRoundInput names the subtree whose units open their year, and the timing.
type SignoffRoundInput struct {
	RootUnitID uuid.UUID
	Timing     SignoffTiming
}

// SignoffRoundResult counts the years the round opened and those open already.
type SignoffRoundResult struct {
	Year     int
	Started  int
	Existing int
}

// SignoffRoundWorkflow opens the annual sign-off of every unit of a subtree. The year is the
// one a month after the run: a round in mid-December opens the coming year, one on 2
// January the year just begun. A unit whose year is open already is left alone.
func SignoffRoundWorkflow(ctx workflow.Context, in SignoffRoundInput) (SignoffRoundResult, error) {
	res := SignoffRoundResult{Year: workflow.Now(ctx).In(liangze.ChinaTime).Add(31 * 24 * time.Hour).Year()}
	var err error
	res.Started, res.Existing, err = startEach(ctx, in.RootUnitID, func(unit uuid.UUID) (string, string, any) {
		return SignoffWorkflowID(unit, res.Year), SignoffWorkflowName, SignoffInput{UnitID: unit, Year: res.Year, Timing: in.Timing}
	})
	workflow.GetLogger(ctx).Info("annual sign-off round", "year", res.Year, "started", res.Started, "existing", res.Existing)
	return res, err
}
