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
	t := &taskList{in: in, wfID: workflow.GetInfo(ctx).WorkflowExecution.ID, id: DocumentID(in.UnitID, in.Year, in.Document),
		doc: in.Document.OrTaskList(), state: liangze.SignoffDrafting, version: 1}
	if err := t.setup(ctx); err != nil {
		return t.state, err
	}
	ctx = workflow.WithActivityOptions(ctx, activityOptions)
	by, err := in.Timing.DocumentDue(in.Year, t.doc)
	if err != nil {
		return t.state, err
	}
	var due activities.DeadlineResult
	err = workflow.ExecuteActivity(ctx, a.ComputeDeadline, activities.DeadlineParams{Start: workflow.Now(ctx),
		Period: in.Timing.Grace, Reminders: in.Timing.Reminders, By: by}).Get(ctx, &due)
	if err == nil {
		err = workflow.ExecuteActivity(ctx, a.OpenSignoff, activities.OpenSignoffParams{Change: t.change(ctx, "open", nil),
			WorkflowID: t.wfID, UnitID: in.UnitID, Year: in.Year, Document: in.Document, Due: due.Deadline}).Get(ctx, nil)
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
	// one never signed may still be signed late, for a grace after its deadline (a summary
	// is due as the year ends)
	if workflow.GetVersion(ctx, "late-signing", workflow.DefaultVersion, 1) >= 1 && !t.signedOnce {
		if left := due.Deadline.At.Add(lateSigning).Sub(workflow.Now(ctx)); left > 0 {
			if _, err := workflow.AwaitWithTimeout(ctx, left, func() bool { return t.signedOnce }); err != nil {
				return t.state, err
			}
		}
	}
	return t.state, workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) })
}

// lateSigning is how long after its deadline a document never signed may still be signed.
const lateSigning = 90 * 24 * time.Hour

type taskList struct {
	in         SignoffInput
	doc        liangze.Document
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
			UnitID: t.in.UnitID, DueAt: due.Deadline.At, Document: t.in.Document}).Get(ctx, nil)
		if err != nil {
			return err
		}
	}
	id := uuid.NewSHA1(t.id, []byte("tasks-overdue"))
	trigger, doc := "task_list_unsigned", t.doc.Label()
	if t.doc != liangze.DocTaskList {
		trigger = string(t.doc) + "_unsigned"
	}
	err := openOverdueEscalation(ctx, overdue{EscalationID: id, UnitID: t.in.UnitID, Trigger: trigger,
		Problem: liangze.Label{ZH: fmt.Sprintf("%d年度%s逾期未签字背书", t.in.Year, doc.ZH),
			EN: fmt.Sprintf("%d %s not signed in time", t.in.Year, doc.EN)},
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
		return refuse(liangze.ECONFLICT, "the %s is signed (已签字背书): signed content cannot change; open a new version with revise", t.doc.Label().EN)
	}
	return refuse(liangze.ECONFLICT, "the %s is %s (%s)", t.doc.Label().EN, t.state, t.state.Label().ZH)
}

func (t *taskList) validateSave(in SaveTaskListInput) error {
	if t.doc == liangze.DocTaskList && len(in.Items) == 0 {
		return refuse(liangze.EINVALID, "items: the task list has no items")
	}
	if t.doc != liangze.DocTaskList && in.Body == "" {
		return refuse(liangze.EINVALID, "body: the %s has no text", t.doc.Label().EN)
	}
	return t.expect(liangze.SignoffDrafting)
}

func (t *taskList) save(ctx workflow.Context, in SaveTaskListInput) (TaskListStatus, error) {
	return t.act(ctx, func() error { return t.validateSave(in) }, func(ctx workflow.Context) error {
		if t.doc != liangze.DocTaskList {
			return workflow.ExecuteActivity(ctx, a.SaveBody, activities.SaveBodyParams{
				Change: t.change(ctx, "save", &in.ActorID), Body: in.Body}).Get(ctx, nil)
		}
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

func (t *taskList) validateSign(in SignTaskListInput) error {
	first, second := t.doc.Parts()
	if in.Part != first && in.Part != second {
		return refuse(liangze.EINVALID, "part: a %s is signed by %s and %s", t.doc.Label().EN, first, second)
	}
	if err := required("opinion", in.Opinion); err != nil {
		return err
	}
	return t.expect(in.Part.Awaiting())
}

func (t *taskList) sign(ctx workflow.Context, in SignTaskListInput) (TaskListStatus, error) {
	return t.act(ctx, func() error { return t.validateSign(in) }, func(ctx workflow.Context) error {
		record := uuid.NewSHA1(t.id, []byte(fmt.Sprintf("v%d/%s", t.version, in.Part)))
		err := workflow.ExecuteActivity(ctx, a.SignTaskList, activities.SignTaskListParams{Change: t.change(ctx, "sign", &in.ActorID),
			Sign: store.SignParams{Part: in.Part, RecordID: record, PersonID: in.PersonID, Opinion: in.Opinion}}).Get(ctx, nil)
		if err != nil {
			return err
		}
		_, second := t.doc.Parts()
		t.state = second.Awaiting()
		if in.Part == second {
			t.state, t.signedOnce = liangze.SignoffSigned, true
		}
		return nil
	})
}

func (t *taskList) validateReturn(in ReasonInput) error {
	if err := required("reason", in.Reason); err != nil {
		return err
	}
	return t.expect(liangze.SignoffAwaitingHead, liangze.SignoffAwaitingDiscipline, liangze.SignoffAwaitingIssuer)
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
