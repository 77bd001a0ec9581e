package workflows

import (
	"fmt"

	"github.com/google/uuid"
	"go.temporal.io/sdk/workflow"

	"liangze"
	"liangze/activities"
	"liangze/store"
)

// Names of the quarterly report workflow and its updates.
const (
	ReportWorkflowName = "QuarterlyReport"
	UpdateEditReport   = "edit_report"
	UpdateSubmitReport = "submit_report"
	UpdateReviewReport = "review_report"
)

// ReportWorkflowID is the workflow id of a unit's report for a quarter: starting it twice
// starts nothing new.
func ReportWorkflowID(unit uuid.UUID, q liangze.Quarter) string {
	return fmt.Sprintf("report/%s/%s", unit, q)
}

// ReportID is the report id of a unit's quarter, derived from the workflow id.
func ReportID(unit uuid.UUID, q liangze.Quarter) uuid.UUID {
	return uuid.NewSHA1(uuid.NameSpaceURL, []byte("liangze:"+ReportWorkflowID(unit, q)))
}

// ReportTiming sets a report's deadline: Grace after the quarter's end, reminders before
// it, and the timing of the escalation a missed deadline opens.
type ReportTiming struct {
	Grace      liangze.Period
	Reminders  []liangze.Period
	Escalation Timing
}

// ReportInput starts a unit's report for a quarter.
type ReportInput struct {
	UnitID  uuid.UUID
	Quarter liangze.Quarter
	Timing  ReportTiming
}

// EditReportInput corrects the form and notes (clerk or unit leader).
type EditReportInput struct {
	ActorID uuid.UUID
	Form    liangze.ReportForm
	Notes   string
}

// SubmitReportInput submits the report (unit leader).
type SubmitReportInput struct {
	ActorID uuid.UUID
}

// ReviewReportInput accepts or returns a submitted report (upper commission).
type ReviewReportInput struct {
	ActorID uuid.UUID
	Accept  bool
	Comment string
}

// ReportWorkflow runs one unit's quarterly accountability report (责任追究季度报告): the form
// is pre-filled from the quarter's decided cases; the clerk corrects it, the unit leader
// submits it, the upper commission accepts it or returns it for correction. Reminders go
// out before the deadline; a report not submitted by then opens one escalation for the unit.
func ReportWorkflow(ctx workflow.Context, in ReportInput) (liangze.ReportState, error) {
	r := &report{in: in, wfID: workflow.GetInfo(ctx).WorkflowExecution.ID, id: ReportID(in.UnitID, in.Quarter),
		state: liangze.ReportDrafting}
	for _, h := range []struct {
		name               string
		handler, validator any
	}{
		{UpdateEditReport, r.edit, r.validateEdit},
		{UpdateSubmitReport, r.submit, r.validateSubmit},
		{UpdateReviewReport, r.review, r.validateReview},
	} {
		if err := workflow.SetUpdateHandlerWithOptions(ctx, h.name, h.handler, workflow.UpdateHandlerOptions{Validator: h.validator}); err != nil {
			return r.state, err
		}
	}
	ctx = workflow.WithActivityOptions(ctx, activityOptions)
	var due activities.DeadlineResult
	err := workflow.ExecuteActivity(ctx, a.ComputeDeadline, activities.DeadlineParams{Start: in.Quarter.End(),
		Period: in.Timing.Grace, Reminders: in.Timing.Reminders}).Get(ctx, &due)
	if err == nil {
		err = workflow.ExecuteActivity(ctx, a.CreateReport, activities.CreateReportParams{Change: r.change(ctx, "create", nil),
			WorkflowID: r.wfID, UnitID: in.UnitID, Quarter: in.Quarter, Due: due.Deadline}).Get(ctx, nil)
	}
	if err != nil {
		return r.state, err
	}
	r.ready = true
	if err := r.watchDeadline(ctx, due); err != nil {
		return r.state, err
	}
	// past the deadline, a report returned and not yet resubmitted counts as missing
	for r.state != liangze.ReportAccepted {
		returned := func() bool { return r.state == liangze.ReportReturned && !r.escalated }
		if err := workflow.Await(ctx, func() bool { return r.state == liangze.ReportAccepted || returned() }); err != nil {
			return r.state, err
		}
		if returned() {
			if err := r.escalate(ctx); err != nil {
				return r.state, err
			}
		}
	}
	return r.state, workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) })
}

type report struct {
	in        ReportInput
	wfID      string
	id        uuid.UUID
	turns     turns
	ready     bool
	state     liangze.ReportState
	seq       int
	escalated bool
}

func (r *report) submittedOrAccepted() bool {
	return r.state == liangze.ReportSubmitted || r.state == liangze.ReportAccepted
}

// watchDeadline reminds the unit before the deadline while the report is not submitted,
// and opens one escalation if it is still not submitted when the deadline passes.
func (r *report) watchDeadline(ctx workflow.Context, due activities.DeadlineResult) error {
	for _, at := range due.RemindAt {
		if !at.After(workflow.Now(ctx)) {
			continue
		}
		if _, err := workflow.AwaitWithTimeout(ctx, at.Sub(workflow.Now(ctx)), func() bool { return r.state == liangze.ReportAccepted }); err != nil {
			return err
		}
		if r.submittedOrAccepted() {
			continue
		}
		err := workflow.ExecuteActivity(ctx, a.RemindReportDue, activities.ReportDueParams{Change: r.change(ctx, "remind", nil),
			UnitID: r.in.UnitID, DueAt: due.Deadline.At}).Get(ctx, nil)
		if err != nil {
			return err
		}
	}
	if left := due.Deadline.At.Sub(workflow.Now(ctx)); left > 0 {
		if _, err := workflow.AwaitWithTimeout(ctx, left, func() bool { return r.state == liangze.ReportAccepted }); err != nil {
			return err
		}
	}
	if r.submittedOrAccepted() {
		return nil
	}
	return r.escalate(ctx)
}

// escalate opens one escalation (at the automatic reminder) against the unit for a report
// missing at the deadline; it lives on by itself.
func (r *report) escalate(ctx workflow.Context) error {
	if r.escalated {
		return nil
	}
	r.escalated = true
	id := uuid.NewSHA1(r.id, []byte("overdue"))
	err := openOverdueEscalation(ctx, overdue{EscalationID: id, UnitID: r.in.UnitID, Trigger: "quarterly_report_missing",
		Problem: liangze.Label{ZH: r.in.Quarter.String() + " 责任追究季报逾期未报送", EN: r.in.Quarter.String() + " accountability report not submitted"},
		Reason:  liangze.Label{ZH: "报送期限届满", EN: "reporting deadline passed"}, Timing: r.in.Timing.Escalation})
	if err != nil {
		return err
	}
	return workflow.ExecuteActivity(ctx, a.FlagReportOverdue, r.change(ctx, "overdue", nil), id).Get(ctx, nil)
}

// expect refuses a request in the wrong state. While the form is still being pre-filled the
// report is drafting: handlers wait for it (ifReady) rather than refuse the clerk.
func (r *report) expect(states ...liangze.ReportState) error {
	for _, s := range states {
		if r.state == s {
			return nil
		}
	}
	return refuse(liangze.ECONFLICT, "the report is %s (%s)", r.state, r.state.Label().ZH)
}

func (r *report) validateEdit(in EditReportInput) error {
	return r.expect(liangze.ReportDrafting, liangze.ReportReturned)
}

func (r *report) edit(ctx workflow.Context, in EditReportInput) (liangze.ReportState, error) {
	err := r.underLock(ctx, func() error { return r.validateEdit(in) }, func(ctx workflow.Context) error {
		return workflow.ExecuteActivity(ctx, a.EditReport, activities.EditReportParams{Change: r.change(ctx, "edit", &in.ActorID),
			Form: in.Form, Notes: in.Notes}).Get(ctx, nil)
	})
	return r.state, err
}

func (r *report) validateSubmit(in SubmitReportInput) error {
	return r.expect(liangze.ReportDrafting, liangze.ReportReturned)
}

func (r *report) submit(ctx workflow.Context, in SubmitReportInput) (liangze.ReportState, error) {
	err := r.underLock(ctx, func() error { return r.validateSubmit(in) }, func(ctx workflow.Context) error {
		err := workflow.ExecuteActivity(ctx, a.SubmitReport, r.change(ctx, "submit", &in.ActorID)).Get(ctx, nil)
		if err == nil {
			r.state = liangze.ReportSubmitted
		}
		return err
	})
	return r.state, err
}

func (r *report) validateReview(in ReviewReportInput) error {
	if err := r.expect(liangze.ReportSubmitted); err != nil {
		return err
	}
	if !in.Accept {
		return required("comment", in.Comment)
	}
	return nil
}

func (r *report) review(ctx workflow.Context, in ReviewReportInput) (liangze.ReportState, error) {
	err := r.underLock(ctx, func() error { return r.validateReview(in) }, func(ctx workflow.Context) error {
		err := workflow.ExecuteActivity(ctx, a.ReviewReport, activities.ReviewReportParams{Change: r.change(ctx, "review", &in.ActorID),
			Accept: in.Accept, Comment: in.Comment}).Get(ctx, nil)
		if err == nil {
			r.state = liangze.ReportReturned
			if in.Accept {
				r.state = liangze.ReportAccepted
			}
		}
		return err
	})
	return r.state, err
}

// underLock runs a change once the report row exists, one change at a time.
func (r *report) underLock(ctx workflow.Context, check func() error, change func(workflow.Context) error) error {
	return underLock(ctx, &r.turns, func() bool { return r.ready }, check, change)
}

func (r *report) change(ctx workflow.Context, action string, actor *uuid.UUID) store.ReportChange {
	r.seq++
	return store.ReportChange{Key: fmt.Sprintf("%s/%s#%d", r.wfID, action, r.seq), ReportID: r.id, Actor: actor, At: workflow.Now(ctx)}
}
