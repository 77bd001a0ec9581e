package workflows

import (
	"fmt"
	"sort"
	"time"

	"github.com/google/uuid"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"liangze"
	"liangze/activities"
	"liangze/store"
)

// a is used only for method references to activities; the worker registers the real value.
var a *activities.Activities

// EscalationWorkflow runs the talk-and-reminder ladder (提醒—谈话—约谈—函询—诫勉—通报—问责)
// for one escalation: each step above the automatic reminder waits for a supervisor's
// approval (never the proposer's own), an approved step records its talk and sets a
// rectification deadline with reminders before it; verified rectification closes the
// escalation, a missed deadline proposes the next level, and the top level hands over to
// accountability.
func EscalationWorkflow(ctx workflow.Context, in EscalationInput) (EscalationStatus, error) {
	e := &escalation{in: in, wfID: workflow.GetInfo(ctx).WorkflowExecution.ID}
	if err := e.setup(ctx); err != nil {
		return e.status(), err
	}
	return e.run(ctx)
}

// escalation is the workflow's state.
type escalation struct {
	in    EscalationInput
	wfID  string
	turns turns
	state liangze.EscalationState
	cur   StepStatus
	// submitter is who submitted the rectification awaiting verification.
	submitter uuid.UUID
	seq       int // counts state changes, to key each one
	// calendar is set for escalations that count deadlines on the working-day calendar.
	calendar bool
	// remindAt are the reminder times of the current step's deadline, earliest first.
	remindAt []time.Time
	// stepStart and stepRule are what the current deadline was computed from.
	stepStart time.Time
	stepRule  liangze.Period
	// recompute is set by SignalRecomputeDeadline, by recomputeBy.
	recompute   bool
	recomputeBy *uuid.UUID
}

func (e *escalation) status() EscalationStatus { return EscalationStatus{State: e.state, Step: e.cur} }

func (e *escalation) setup(ctx workflow.Context) error {
	e.state = liangze.EscalationOpen
	if err := workflow.SetQueryHandler(ctx, QueryStatus, func() (EscalationStatus, error) { return e.status(), nil }); err != nil {
		return err
	}
	recompute := workflow.GetSignalChannel(ctx, SignalRecomputeDeadline)
	workflow.Go(ctx, func(ctx workflow.Context) {
		for {
			var in RecomputeInput
			recompute.Receive(ctx, &in)
			e.recompute, e.recomputeBy = true, &in.RequestedBy
		}
	})
	handlers := []struct {
		name      string
		handler   any
		validator any
	}{
		{UpdateDecide, e.decide, e.validateDecide},
		{UpdateRecordTalk, e.recordTalk, e.validateTalk},
		{UpdateSubmitRectification, e.submit, e.validateSubmit},
		{UpdateVerifyRectification, e.verify, e.validateVerify},
	}
	for _, h := range handlers {
		if err := workflow.SetUpdateHandlerWithOptions(ctx, h.name, h.handler,
			workflow.UpdateHandlerOptions{Validator: h.validator}); err != nil {
			return err
		}
	}
	return nil
}

// escalationRecord is the stored escalation an escalation workflow opens with. A process
// that starts one may store it first, so that it can link to the row at once.
func escalationRecord(workflowID string, in EscalationInput, at time.Time) store.NewEscalation {
	return store.NewEscalation{ID: in.EscalationID, WorkflowID: workflowID, UnitID: in.UnitID, PersonID: in.PersonID,
		Trigger: in.Trigger, Problem: in.Problem, Severity: in.Severity, Level: in.Level, OpenedBy: in.ProposedBy, OpenedAt: at}
}

// calendarChange marks the switch from fixed durations to deadlines counted on the
// working-day calendar by an activity.
const calendarChange = "calendar-deadlines"

func (e *escalation) run(ctx workflow.Context) (EscalationStatus, error) {
	ctx = workflow.WithActivityOptions(ctx, activityOptions)
	e.calendar = workflow.GetVersion(ctx, calendarChange, workflow.DefaultVersion, 1) == 1
	log := workflow.GetLogger(ctx)
	in := e.in
	err := workflow.ExecuteActivity(ctx, a.OpenEscalation, escalationRecord(e.wfID, in, workflow.Now(ctx))).Get(ctx, nil)
	if err != nil {
		return e.status(), err
	}
	level, proposer, reason := in.Level, in.ProposedBy, in.Reason
	for {
		log.Info("escalation step", "escalation", in.EscalationID, "step", e.cur.No+1, "level", level)
		outcome, err := e.takeStep(ctx, level, proposer, reason)
		if err != nil {
			return e.status(), err
		}
		if outcome != "" {
			return e.close(ctx, outcome)
		}
		next, ok := level.Next()
		if !ok { // cannot happen: the top level hands over and does not rectify
			return e.close(ctx, liangze.EscalationHandedOver)
		}
		level, proposer = next, nil
		reason = fmt.Sprintf("第%d步逾期未整改，自动提请升级 / step %d overdue, escalated automatically", e.cur.No, e.cur.No)
	}
}

// takeStep proposes a step at level and follows it to its end: an outcome that closes the
// escalation, or "" when its deadline passed and the next level is due.
func (e *escalation) takeStep(ctx workflow.Context, level liangze.Level, proposer *uuid.UUID, reason string) (liangze.EscalationState, error) {
	var due *activities.DeadlineResult
	if !level.NeedsApproval() {
		d, err := e.deadline(ctx, e.in.Timing.AutoReminder, e.in.Timing.AutoReminderPeriod)
		if err != nil {
			return "", err
		}
		due = &d
	}
	if err := e.propose(ctx, level, proposer, reason, due); err != nil {
		return "", err
	}
	if level.NeedsApproval() {
		if err := e.awaitDecision(ctx); err != nil {
			return "", err
		}
		if e.cur.State == liangze.StepRejected {
			return liangze.EscalationRejected, nil
		}
		if level == liangze.LevelAccountability {
			return liangze.EscalationHandedOver, e.handOver(ctx)
		}
		if err := workflow.Await(ctx, func() bool { return e.cur.State == liangze.StepRectifying }); err != nil {
			return "", err
		}
	}
	rectified, err := e.awaitRectification(ctx)
	if err == nil && !rectified {
		rectified, err = e.markOverdue(ctx)
	}
	if err != nil || !rectified {
		return "", err
	}
	return liangze.EscalationRectified, nil
}

// approvalReminders marks the change that reminds supervisors of a step left waiting.
const approvalReminders = "approval-reminders"

// awaitDecision waits for the supervisors' decision on the current step, reminding them
// each ApprovalReminder (on the calendar) it is left waiting, at most ApprovalReminders times.
func (e *escalation) awaitDecision(ctx workflow.Context) error {
	decided := func() bool { return e.cur.State != liangze.StepAwaitingApproval }
	t := e.in.Timing
	if workflow.GetVersion(ctx, approvalReminders, workflow.DefaultVersion, 1) == 1 && !t.ApprovalReminder.IsZero() {
		proposed := workflow.Now(ctx)
		for n := 1; n <= t.ApprovalReminders && !decided(); n++ {
			var next activities.DeadlineResult
			err := workflow.ExecuteActivity(ctx, a.ComputeDeadline, activities.DeadlineParams{Start: workflow.Now(ctx),
				Period: t.ApprovalReminder}).Get(ctx, &next)
			if err != nil {
				return err
			}
			if _, err := workflow.AwaitWithTimeout(ctx, next.Deadline.At.Sub(workflow.Now(ctx)), decided); err != nil || decided() {
				return err
			}
			no := e.cur.No
			err = workflow.ExecuteActivity(ctx, a.RemindApproval, activities.ApprovalReminderParams{
				Step: e.change(ctx, no, "approval-reminder", nil), Level: e.cur.Level, Since: proposed, ProposedBy: e.cur.ProposedBy}).Get(ctx, nil)
			if err != nil {
				return err
			}
		}
	}
	return workflow.Await(ctx, decided)
}

// propose makes the next step current and stores it. It holds the mutex meanwhile, so that
// an update accepted as soon as the step is visible waits until the step is stored.
func (e *escalation) propose(ctx workflow.Context, level liangze.Level, proposer *uuid.UUID, reason string, due *activities.DeadlineResult) error {
	if err := e.turns.take(ctx, always); err != nil {
		return err
	}
	defer e.turns.done()
	no := e.cur.No + 1
	e.cur = StepStatus{No: no, Level: level, State: liangze.StepAwaitingApproval, ProposedBy: proposer}
	p := activities.ProposeParams{Step: e.change(ctx, no, "propose", proposer), Level: level, Reason: reason}
	if due != nil {
		e.cur.State, e.cur.DueAt, e.remindAt = liangze.StepRectifying, &due.Deadline.At, due.RemindAt
		p.DueAt, p.Rule, p.Warnings = &due.Deadline.At, due.Deadline.Rule, due.Deadline.Warnings
	}
	return workflow.ExecuteActivity(ctx, a.ProposeStep, p).Get(ctx, nil)
}

// deadline computes a deadline from now: on the working-day calendar, by an activity
// whose result stays in history, when the escalation has a rule; else by adding the fixed
// duration, with reminders at the fixed offsets before it.
func (e *escalation) deadline(ctx workflow.Context, rule liangze.Period, fixed time.Duration) (activities.DeadlineResult, error) {
	now := workflow.Now(ctx)
	e.stepStart, e.stepRule = now, liangze.Period{}
	if e.calendar && !rule.IsZero() {
		e.stepRule = rule
		var res activities.DeadlineResult
		err := workflow.ExecuteActivity(ctx, a.ComputeDeadline, activities.DeadlineParams{
			Start: now, Period: rule, Reminders: e.in.Timing.Reminders}).Get(ctx, &res)
		return res, err
	}
	due := now.Add(fixed)
	res := activities.DeadlineResult{Deadline: liangze.Deadline{At: due}}
	offsets := append([]time.Duration(nil), e.in.Timing.ReminderOffsets...)
	sort.Slice(offsets, func(i, j int) bool { return offsets[i] > offsets[j] })
	for _, o := range offsets {
		if o > 0 {
			res.RemindAt = append(res.RemindAt, due.Add(-o))
		}
	}
	return res, nil
}

// awaitRectification waits for verified rectification until the current step's deadline,
// sending reminders at the reminder times still ahead; when asked, it recomputes the
// deadline on the calendar as it is now and waits again. A report submitted in time is
// waited on past the deadline until it is verified or refused.
func (e *escalation) awaitRectification(ctx workflow.Context) (bool, error) {
	for {
		verified, recompute, err := e.waitForDeadline(ctx)
		if err != nil || !recompute {
			return verified, err
		}
		if err := e.reschedule(ctx); err != nil {
			return false, err
		}
	}
}

func (e *escalation) waitForDeadline(ctx workflow.Context) (verified, recompute bool, err error) {
	isVerified := func() bool { return e.cur.State == liangze.StepVerified }
	wake := func() bool { return isVerified() || e.recompute }
	due := *e.cur.DueAt
	for _, at := range e.remindAt {
		if !at.After(workflow.Now(ctx)) || !at.Before(due) {
			continue
		}
		if ok, err := workflow.AwaitWithTimeout(ctx, at.Sub(workflow.Now(ctx)), wake); err != nil || ok {
			return isVerified(), ok && !isVerified(), err
		}
		before := due.Sub(at)
		err := workflow.ExecuteActivity(ctx, a.SendDueReminder, activities.ReminderParams{
			Step:  e.change(ctx, e.cur.No, "remind-"+before.String(), nil),
			DueAt: due, Before: before}).Get(ctx, nil)
		if err != nil {
			return false, false, err
		}
	}
	if left := due.Sub(workflow.Now(ctx)); left > 0 {
		if ok, err := workflow.AwaitWithTimeout(ctx, left, wake); err != nil || ok {
			return isVerified(), ok && !isVerified(), err
		}
	}
	if err := workflow.Await(ctx, func() bool { return e.cur.State != liangze.StepSubmitted }); err != nil {
		return false, false, err
	}
	return isVerified(), false, nil
}

// reschedule recomputes the current deadline from the same start and rule on the calendar
// as it is now, and stores it if it moved. Fixed durations do not depend on the calendar.
func (e *escalation) reschedule(ctx workflow.Context) error {
	e.recompute = false
	if !e.calendar || e.stepRule.IsZero() {
		return nil
	}
	if err := e.turns.take(ctx, always); err != nil {
		return err
	}
	defer e.turns.done()
	var res activities.DeadlineResult
	err := workflow.ExecuteActivity(ctx, a.ComputeDeadline, activities.DeadlineParams{
		Start: e.stepStart, Period: e.stepRule, Reminders: e.in.Timing.Reminders}).Get(ctx, &res)
	if err != nil || res.Deadline.At.Equal(*e.cur.DueAt) {
		return err
	}
	err = workflow.ExecuteActivity(ctx, a.RescheduleDeadline, activities.RescheduleParams{
		Step: e.change(ctx, e.cur.No, "reschedule", e.recomputeBy), Due: res.Deadline}).Get(ctx, nil)
	if err != nil {
		return err
	}
	workflow.GetLogger(ctx).Info("deadline rescheduled", "escalation", e.in.EscalationID, "step", e.cur.No,
		"due_at", res.Deadline.At)
	e.cur.DueAt, e.remindAt = &res.Deadline.At, res.RemindAt
	return nil
}

// markOverdue marks the current step overdue, unless a verification that was under way
// when the deadline passed has just accepted the rectification; it reports which.
func (e *escalation) markOverdue(ctx workflow.Context) (rectified bool, err error) {
	if err := e.turns.take(ctx, always); err != nil {
		return false, err
	}
	defer e.turns.done()
	if e.cur.State == liangze.StepVerified {
		return true, nil
	}
	err = workflow.ExecuteActivity(ctx, a.MarkOverdue, e.change(ctx, e.cur.No, "overdue", nil)).Get(ctx, nil)
	if err == nil {
		e.cur.State = liangze.StepOverdue
	}
	return false, err
}

func (e *escalation) handOver(ctx workflow.Context) error {
	summary := fmt.Sprintf("%s（%s）", e.in.Problem, e.in.Severity.Label().ZH)
	err := workflow.ExecuteActivity(ctx, a.HandOver, activities.HandOverParams{
		Step: e.change(ctx, e.cur.No, "hand_over", nil), Summary: summary}).Get(ctx, nil)
	if err == nil {
		e.cur.State = liangze.StepHandedOver
	}
	return err
}

func (e *escalation) close(ctx workflow.Context, outcome liangze.EscalationState) (EscalationStatus, error) {
	err := workflow.ExecuteActivity(ctx, a.CloseEscalation, activities.CloseParams{
		Step: e.change(ctx, e.cur.No, "close", nil), Outcome: outcome}).Get(ctx, nil)
	if err != nil {
		return e.status(), err
	}
	e.state = outcome
	// Let an update still running finish before the workflow completes.
	if err := workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) }); err != nil {
		return e.status(), err
	}
	workflow.GetLogger(ctx).Info("escalation closed", "escalation", e.in.EscalationID, "outcome", outcome)
	return e.status(), nil
}

// change keys a state change of step no by workflow id, step and a sequence number.
func (e *escalation) change(ctx workflow.Context, no int, action string, actor *uuid.UUID) store.StepChange {
	e.seq++
	return store.StepChange{Key: fmt.Sprintf("%s/%d/%s#%d", e.wfID, no, action, e.seq),
		EscalationID: e.in.EscalationID, StepNo: no, Actor: actor, At: workflow.Now(ctx)}
}

var activityOptions = workflow.ActivityOptions{
	StartToCloseTimeout: 30 * time.Second,
	RetryPolicy: &temporal.RetryPolicy{
		InitialInterval:    time.Second,
		BackoffCoefficient: 2,
		MaximumInterval:    time.Minute,
	},
}
