package workflows

import (
	"errors"
	"time"

	"github.com/google/uuid"
	"go.temporal.io/api/enums/v1"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"liangze"
	"liangze/activities"
)

// Names of the bimonthly exposure notice workflow and its update.
const (
	NoticeWorkflowName = "ExposureNotice"
	UpdateDecideNotice = "decide_notice"
)

// NoticeInput asks for the exposure notice of a subtree; a zero period means the two
// calendar months before the month the workflow runs in.
type NoticeInput struct {
	RootUnitID uuid.UUID
	From, To   time.Time
}

// NoticeWorkflowID is the workflow id of a subtree's notice for the period starting at from.
func NoticeWorkflowID(root uuid.UUID, from time.Time) string {
	return "notice/" + root.String() + "/" + from.In(liangze.ChinaTime).Format("2006-01")
}

// NoticeID is the id of a subtree's notice for the period starting at from.
func NoticeID(root uuid.UUID, from time.Time) uuid.UUID {
	return uuid.NewSHA1(uuid.NameSpaceURL, []byte("liangze:"+NoticeWorkflowID(root, from)))
}

// NoticeDecision approves (publishes) or rejects the draft.
type NoticeDecision struct {
	ActorID uuid.UUID
	Publish bool
	Comment string
}

// NoticeWorkflow drafts the bimonthly exposure notice (双月通报曝光) — the serious typical
// cases of the reports accepted in the period — and waits for a supervisor to publish it or
// reject it.
func NoticeWorkflow(ctx workflow.Context, in NoticeInput) (string, error) {
	if in.From.IsZero() {
		now := workflow.Now(ctx).In(liangze.ChinaTime)
		in.To = time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, liangze.ChinaTime)
		in.From = in.To.AddDate(0, -2, 0)
	}
	wfID := workflow.GetInfo(ctx).WorkflowExecution.ID
	if canonical := NoticeWorkflowID(in.RootUnitID, in.From); wfID != canonical {
		// started by the schedule: run the period's notice under its own id, once
		cctx := workflow.WithChildOptions(ctx, workflow.ChildWorkflowOptions{WorkflowID: canonical,
			ParentClosePolicy: enums.PARENT_CLOSE_POLICY_ABANDON, WorkflowIDReusePolicy: enums.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE})
		err := workflow.ExecuteChildWorkflow(cctx, NoticeWorkflowName, in).GetChildWorkflowExecution().Get(ctx, nil)
		var exists *temporal.ChildWorkflowExecutionAlreadyStartedError
		if errors.As(err, &exists) {
			err = nil
		}
		return "delegated", err
	}
	id := NoticeID(in.RootUnitID, in.From)
	state, busy, ready := "draft", false, false
	if err := workflow.SetUpdateHandlerWithOptions(ctx, UpdateDecideNotice,
		func(ctx workflow.Context, d NoticeDecision) (string, error) {
			busy = true // the validator refuses a second decision while this one waits or runs
			if err := workflow.Await(ctx, func() bool { return ready }); err != nil {
				return state, err
			}
			ctx = workflow.WithActivityOptions(ctx, activityOptions)
			err := workflow.ExecuteActivity(ctx, a.DecideNotice, activities.DecideNoticeParams{Key: wfID + "/decide",
				ID: id, ActorID: d.ActorID, Publish: d.Publish, Comment: d.Comment, At: workflow.Now(ctx)}).Get(ctx, nil)
			if err != nil {
				busy = false
				return state, err
			}
			state = "rejected"
			if d.Publish {
				state = "published"
			}
			return state, nil
		}, workflow.UpdateHandlerOptions{Validator: func(d NoticeDecision) error {
			if state != "draft" || busy {
				return refuse(liangze.ECONFLICT, "the notice is %s", state)
			}
			if !d.Publish {
				return required("comment", d.Comment)
			}
			return nil
		}}); err != nil {
		return state, err
	}
	ctx = workflow.WithActivityOptions(ctx, activityOptions)
	err := workflow.ExecuteActivity(ctx, a.DraftNotice, activities.DraftNoticeParams{ID: id, RootUnitID: in.RootUnitID,
		WorkflowID: wfID, From: in.From, To: in.To, At: workflow.Now(ctx)}).Get(ctx, nil)
	if err != nil {
		return state, err
	}
	ready = true
	err = workflow.Await(ctx, func() bool { return state != "draft" && workflow.AllHandlersFinished(ctx) })
	return state, err
}
