package workflows

import (
	"fmt"
	"slices"
	"time"

	"github.com/google/uuid"
	"go.temporal.io/sdk/workflow"

	"liangze"
	"liangze/activities"
	"liangze/store"
)

// Names of the duties phase and its update.
const (
	DutiesWorkflowName = "AnnualDuties"
	UpdateCompleteDuty = "complete_duty"
)

// DutiesWorkflowID is the workflow id of the year's duties phase.
func DutiesWorkflowID(unit uuid.UUID, year int) string {
	return SignoffWorkflowID(unit, year) + "/duties"
}

// CompleteDutyInput records a duty done: the day it was held or sent, and a note (minutes,
// document number, what was said).
type CompleteDutyInput struct {
	ActorID uuid.UUID
	DutyID  uuid.UUID
	DoneOn  string
	Note    string
}

// DutiesWorkflow runs the dated duties of a unit's year besides its task list: the
// integrity commitment, the double report, the special meetings and an integrity talk of
// the head with each leadership member and each subordinate head. Duties sharing a
// deadline are reminded together before it; those still pending at it open one escalation.
// A duty may still be done late, until the year is over.
func DutiesWorkflow(ctx workflow.Context, in SignoffInput) (int, error) {
	d := &dutiesRun{in: in, wfID: workflow.GetInfo(ctx).WorkflowExecution.ID, id: SignoffID(in.UnitID, in.Year), pending: map[uuid.UUID]bool{}}
	if err := workflow.SetUpdateHandlerWithOptions(ctx, UpdateCompleteDuty, d.complete,
		workflow.UpdateHandlerOptions{Validator: d.validateComplete}); err != nil {
		return 0, err
	}
	ctx = workflow.WithActivityOptions(ctx, activityOptions)
	rules := make([]activities.DutyRule, len(in.Timing.Duties))
	for i, t := range in.Timing.Duties {
		by, err := endOfDay(in.Year, t.By)
		if err != nil {
			return 0, err
		}
		rules[i] = activities.DutyRule{Kind: t.Kind, By: by, Grace: t.Grace}
	}
	var dues []activities.DutyDue
	err := workflow.ExecuteActivity(ctx, a.OpenDuties, activities.OpenDutiesParams{Change: d.change(ctx, "open", nil),
		UnitID: in.UnitID, Year: in.Year, Rules: rules, Reminders: in.Timing.Reminders}).Get(ctx, &dues)
	if err != nil {
		return 0, err
	}
	for _, due := range dues {
		d.pending[due.ID] = true
	}
	d.remaining = len(d.pending)
	d.ready = true
	for _, group := range byDeadline(dues) {
		if err := d.watch(ctx, group); err != nil {
			return d.left(), err
		}
	}
	yearEnd := time.Date(in.Year+1, 1, 1, 0, 0, 0, 0, liangze.ChinaTime)
	if left := yearEnd.Sub(workflow.Now(ctx)); left > 0 {
		if _, err := workflow.AwaitWithTimeout(ctx, left, func() bool { return d.left() == 0 }); err != nil {
			return d.left(), err
		}
	}
	return d.left(), workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) })
}

type dutiesRun struct {
	in      SignoffInput
	wfID    string
	id      uuid.UUID
	turns   turns
	ready   bool
	pending map[uuid.UUID]bool // looked up, never ranged over
	// remaining counts the pending duties.
	remaining int
	seq       int
}

// dueGroup is the duties sharing one deadline.
type dueGroup struct {
	at       time.Time
	remindAt []time.Time
	ids      []uuid.UUID
}

func byDeadline(dues []activities.DutyDue) []dueGroup {
	var groups []dueGroup
	for _, d := range dues {
		i := slices.IndexFunc(groups, func(g dueGroup) bool { return g.at.Equal(d.DueAt) })
		if i < 0 {
			groups = append(groups, dueGroup{at: d.DueAt, remindAt: d.RemindAt})
			i = len(groups) - 1
		}
		groups[i].ids = append(groups[i].ids, d.ID)
	}
	slices.SortStableFunc(groups, func(a, b dueGroup) int { return a.at.Compare(b.at) })
	return groups
}

func (d *dutiesRun) left() int { return d.remaining }

func (d *dutiesRun) open(ids []uuid.UUID) []uuid.UUID {
	var out []uuid.UUID
	for _, id := range ids {
		if d.pending[id] {
			out = append(out, id)
		}
	}
	return out
}

// watch reminds before a deadline while duties of the group are pending and opens one
// escalation for those still pending at it.
func (d *dutiesRun) watch(ctx workflow.Context, g dueGroup) error {
	for _, at := range append(g.remindAt, g.at) {
		if left := at.Sub(workflow.Now(ctx)); left > 0 {
			if _, err := workflow.AwaitWithTimeout(ctx, left, func() bool { return len(d.open(g.ids)) == 0 }); err != nil {
				return err
			}
		}
		open := d.open(g.ids)
		if len(open) == 0 {
			return nil
		}
		if !at.Equal(g.at) {
			err := workflow.ExecuteActivity(ctx, a.RemindDuties, activities.DutiesDueParams{Change: d.change(ctx, "remind", nil),
				UnitID: d.in.UnitID, DueAt: g.at, IDs: open}).Get(ctx, nil)
			if err != nil {
				return err
			}
		}
	}
	open := d.open(g.ids)
	var what liangze.Label
	if err := workflow.ExecuteActivity(ctx, a.PendingDuties, d.id, open).Get(ctx, &what); err != nil {
		return err
	}
	id := uuid.NewSHA1(d.id, []byte("duties-overdue/"+g.at.UTC().Format(time.RFC3339)))
	err := openOverdueEscalation(ctx, overdue{EscalationID: id, UnitID: d.in.UnitID, Trigger: "annual_duty_missed",
		Problem: liangze.Label{ZH: fmt.Sprintf("%d年度责任事项逾期未完成：%s", d.in.Year, what.ZH),
			EN: fmt.Sprintf("%d duties not done in time: %s", d.in.Year, what.EN)},
		Reason: liangze.Label{ZH: "完成期限届满", EN: "deadline passed"}, Timing: d.in.Timing.Escalation})
	if err != nil {
		return err
	}
	return workflow.ExecuteActivity(ctx, a.FlagDutiesOverdue, activities.FlagDutiesOverdueParams{Change: d.change(ctx, "overdue", nil),
		IDs: open, EscalationID: id}).Get(ctx, nil)
}

func (d *dutiesRun) validateComplete(in CompleteDutyInput) error {
	if _, err := time.Parse(time.DateOnly, in.DoneOn); err != nil {
		return refuse(liangze.EINVALID, "done_on: the day it was done, such as 2027-03-15")
	}
	if d.ready && !d.pending[in.DutyID] {
		return refuse(liangze.ECONFLICT, "duty %s is done already or not one of this year's", in.DutyID)
	}
	return nil
}

func (d *dutiesRun) complete(ctx workflow.Context, in CompleteDutyInput) (int, error) {
	err := underLock(ctx, &d.turns, func() bool { return d.ready }, func() error { return d.validateComplete(in) }, func(ctx workflow.Context) error {
		err := workflow.ExecuteActivity(ctx, a.CompleteDuty, activities.CompleteDutyParams{Change: d.change(ctx, "complete", &in.ActorID),
			DutyID: in.DutyID, DoneOn: in.DoneOn, Note: in.Note}).Get(ctx, nil)
		if err == nil {
			d.pending[in.DutyID] = false
			d.remaining--
		}
		return err
	})
	return d.left(), err
}

func (d *dutiesRun) change(ctx workflow.Context, action string, actor *uuid.UUID) store.SignoffChange {
	d.seq++
	return store.SignoffChange{Key: fmt.Sprintf("%s/%s#%d", d.wfID, action, d.seq), SignoffID: d.id, Actor: actor, At: workflow.Now(ctx)}
}
