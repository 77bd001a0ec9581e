package workflows

import (
	"fmt"
	"time"

	"github.com/google/uuid"
	"go.temporal.io/sdk/workflow"

	"liangze"
	"liangze/activities"
	"liangze/store"
)

// TaskListWorkflow runs the first phase of a unit's year: the responsibility task list
// (责任分解任务清单) is drafted, submitted, signed by the first responsible person and then
// by the discipline body (签字背书). Reminders go out before the deadline and a list not
// signed by then opens one escalation. Until the year ends a signed list may be revised:
// the new version must be signed again, the old signatures stay as they were.
func TaskListWorkflow(ctx workflow.Context, in SignoffInput) (liangze.SignoffState, error) {
	t := &taskList{in: in, wfID: workflow.GetInfo(ctx).WorkflowExecution.ID, id: SignoffID(in.UnitID, in.Year),
		state: liangze.SignoffDrafting, version: 1}
	if err := t.setup(ctx); err != nil {
		return t.state, err
	}
	ctx = workflow.WithActivityOptions(ctx, activityOptions)
	by, err := in.Timing.TaskListDue(in.Year)
	if err != nil {
		return t.state, err
	}
	var due activities.DeadlineResult
	err = workflow.ExecuteActivity(ctx, a.ComputeDeadline, activities.DeadlineParams{Start: workflow.Now(ctx),
		Period: in.Timing.Grace, Reminders: in.Timing.Reminders, By: by}).Get(ctx, &due)
	if err == nil {
		err = workflow.ExecuteActivity(ctx, a.OpenSignoff, activities.OpenSignoffParams{Change: t.change(ctx, "open", nil),
			WorkflowID: t.wfID, UnitID: in.UnitID, Year: in.Year, Due: due.Deadline}).Get(ctx, nil)
	}
	if err != nil {
		return t.state, err
	}
	t.ready = true
	if err := t.watchDeadline(ctx, due); err != nil {
		return t.state, err
	}
	// the list stays open for revisions until the year is over
	yearEnd := time.Date(in.Year+1, 1, 1, 0, 0, 0, 0, liangze.ChinaTime)
	if left := yearEnd.Sub(workflow.Now(ctx)); left > 0 {
		if err := workflow.Sleep(ctx, left); err != nil {
			return t.state, err
		}
	}
	return t.state, workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) })
}

type taskList struct {
	in         SignoffInput
	wfID       string
	id         uuid.UUID
	turns      turns
	ready      bool
	state      liangze.SignoffState
	version    int
	signedOnce bool
	seq        int
}

func (t *taskList) setup(ctx workflow.Context) error {
	for _, h := range []struct {
		name               string
		handler, validator any
	}{
		{UpdateSaveTaskList, t.save, t.validateSave},
		{UpdateSubmitTaskList, t.submit, t.validateSubmit},
		{UpdateSignTaskList, t.sign, t.validateSign},
		{UpdateReturnTaskList, t.giveBack, t.validateReturn},
		{UpdateReviseTaskList, t.revise, t.validateRevise},
	} {
		if err := workflow.SetUpdateHandlerWithOptions(ctx, h.name, h.handler, workflow.UpdateHandlerOptions{Validator: h.validator}); err != nil {
			return err
		}
	}
	return nil
}

// watchDeadline reminds the unit while the list is unsigned and opens one escalation if it
// is still unsigned at the deadline.
func (t *taskList) watchDeadline(ctx workflow.Context, due activities.DeadlineResult) error {
	for _, at := range append(due.RemindAt, due.Deadline.At) {
		if left := at.Sub(workflow.Now(ctx)); left > 0 {
			if _, err := workflow.AwaitWithTimeout(ctx, left, func() bool { return t.signedOnce }); err != nil {
				return err
			}
		}
		if t.signedOnce {
			return nil
		}
		if at.Equal(due.Deadline.At) {
			break
		}
		err := workflow.ExecuteActivity(ctx, a.RemindSignoffDue, activities.SignoffDueParams{Change: t.change(ctx, "remind", nil),
			UnitID: t.in.UnitID, DueAt: due.Deadline.At}).Get(ctx, nil)
		if err != nil {
			return err
		}
	}
	id := uuid.NewSHA1(t.id, []byte("tasks-overdue"))
	err := openOverdueEscalation(ctx, overdue{EscalationID: id, UnitID: t.in.UnitID, Trigger: "task_list_unsigned",
		Problem: liangze.Label{ZH: fmt.Sprintf("%d年度责任分解任务清单逾期未签字背书", t.in.Year),
			EN: fmt.Sprintf("%d responsibility task list not signed in time", t.in.Year)},
		Reason: liangze.Label{ZH: "签字背书期限届满", EN: "sign-off deadline passed"}, Timing: t.in.Timing.Escalation})
	if err != nil {
		return err
	}
	return workflow.ExecuteActivity(ctx, a.FlagSignoffOverdue, t.change(ctx, "overdue", nil), id).Get(ctx, nil)
}

func (t *taskList) expect(states ...liangze.SignoffState) error {
	for _, s := range states {
		if t.state == s {
			return nil
		}
	}
	if t.state == liangze.SignoffSigned {
		return refuse(liangze.ECONFLICT, "the task list is signed (已签字背书): signed content cannot change; open a new version with revise")
	}
	return refuse(liangze.ECONFLICT, "the task list is %s (%s)", t.state, t.state.Label().ZH)
}

func (t *taskList) validateSave(in SaveTaskListInput) error {
	if len(in.Items) == 0 {
		return refuse(liangze.EINVALID, "items: the task list has no items")
	}
	return t.expect(liangze.SignoffDrafting)
}

func (t *taskList) save(ctx workflow.Context, in SaveTaskListInput) (TaskListStatus, error) {
	return t.act(ctx, func() error { return t.validateSave(in) }, func(ctx workflow.Context) error {
		return workflow.ExecuteActivity(ctx, a.SaveTaskList, activities.SaveTaskListParams{
			Change: t.change(ctx, "save", &in.ActorID), Items: in.Items}).Get(ctx, nil)
	})
}

func (t *taskList) validateSubmit(ActorInput) error { return t.expect(liangze.SignoffDrafting) }

func (t *taskList) submit(ctx workflow.Context, in ActorInput) (TaskListStatus, error) {
	return t.act(ctx, func() error { return t.validateSubmit(in) }, func(ctx workflow.Context) error {
		err := workflow.ExecuteActivity(ctx, a.SubmitTaskList, t.change(ctx, "submit", &in.ActorID)).Get(ctx, nil)
		if err == nil {
			t.state = liangze.SignoffAwaitingHead
		}
		return err
	})
}

// awaiting is the state in which part is signed.
func awaiting(part liangze.SignedPart) liangze.SignoffState {
	if part == liangze.PartSupervisory {
		return liangze.SignoffAwaitingDiscipline
	}
	return liangze.SignoffAwaitingHead
}

func (t *taskList) validateSign(in SignTaskListInput) error {
	if in.Part != liangze.PartPrimary && in.Part != liangze.PartSupervisory {
		return refuse(liangze.EINVALID, "part must be primary or supervisory")
	}
	if err := required("opinion", in.Opinion); err != nil {
		return err
	}
	return t.expect(awaiting(in.Part))
}

func (t *taskList) sign(ctx workflow.Context, in SignTaskListInput) (TaskListStatus, error) {
	return t.act(ctx, func() error { return t.validateSign(in) }, func(ctx workflow.Context) error {
		record := uuid.NewSHA1(t.id, []byte(fmt.Sprintf("v%d/%s", t.version, in.Part)))
		err := workflow.ExecuteActivity(ctx, a.SignTaskList, activities.SignTaskListParams{Change: t.change(ctx, "sign", &in.ActorID),
			Sign: store.SignParams{Part: in.Part, RecordID: record, PersonID: in.PersonID, Opinion: in.Opinion}}).Get(ctx, nil)
		if err != nil {
			return err
		}
		t.state = liangze.SignoffAwaitingDiscipline
		if in.Part == liangze.PartSupervisory {
			t.state, t.signedOnce = liangze.SignoffSigned, true
		}
		return nil
	})
}

func (t *taskList) validateReturn(in ReasonInput) error {
	if err := required("reason", in.Reason); err != nil {
		return err
	}
	return t.expect(liangze.SignoffAwaitingHead, liangze.SignoffAwaitingDiscipline)
}

// giveBack returns a submitted list to drafting.
func (t *taskList) giveBack(ctx workflow.Context, in ReasonInput) (TaskListStatus, error) {
	return t.act(ctx, func() error { return t.validateReturn(in) }, func(ctx workflow.Context) error {
		err := workflow.ExecuteActivity(ctx, a.ReturnTaskList, activities.ReturnTaskListParams{
			Change: t.change(ctx, "return", &in.ActorID), Reason: in.Reason}).Get(ctx, nil)
		if err == nil {
			t.state = liangze.SignoffDrafting
		}
		return err
	})
}

func (t *taskList) validateRevise(in ReasonInput) error {
	if err := required("reason", in.Reason); err != nil {
		return err
	}
	if t.state != liangze.SignoffSigned {
		return refuse(liangze.ECONFLICT, "the task list is %s (%s): only a signed list is revised", t.state, t.state.Label().ZH)
	}
	return nil
}

func (t *taskList) revise(ctx workflow.Context, in ReasonInput) (TaskListStatus, error) {
	return t.act(ctx, func() error { return t.validateRevise(in) }, func(ctx workflow.Context) error {
		err := workflow.ExecuteActivity(ctx, a.ReviseTaskList, activities.ReturnTaskListParams{
			Change: t.change(ctx, "revise", &in.ActorID), Reason: in.Reason}).Get(ctx, nil)
		if err == nil {
			t.state, t.version = liangze.SignoffDrafting, t.version+1
		}
		return err
	})
}

// act runs a change once the list exists, one change at a time, and answers the new state.
func (t *taskList) act(ctx workflow.Context, check func() error, change func(workflow.Context) error) (TaskListStatus, error) {
	err := underLock(ctx, &t.turns, func() bool { return t.ready }, check, change)
	return TaskListStatus{State: t.state, Version: t.version}, err
}

func (t *taskList) change(ctx workflow.Context, action string, actor *uuid.UUID) store.SignoffChange {
	t.seq++
	return store.SignoffChange{Key: fmt.Sprintf("%s/%s#%d", t.wfID, action, t.seq), SignoffID: t.id, Actor: actor, At: workflow.Now(ctx)}
}
