package workflows

import (
	"fmt"
	"strings"

	"github.com/google/uuid"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/workflow"

	"liangze"
	"liangze/activities"
)

// refuse is a validator's or handler's refusal; its type is a liangze error code the API
// maps to an HTTP status.
func refuse(code, format string, args ...any) error {
	return temporal.NewApplicationErrorWithOptions(fmt.Sprintf(format, args...), code,
		temporal.ApplicationErrorOptions{NonRetryable: true})
}

func (e *escalation) expect(stepNo int, states ...liangze.StepState) error {
	if e.state != liangze.EscalationOpen {
		return refuse(liangze.ECONFLICT, "escalation is closed (%s) / 督办事项已结束", e.state)
	}
	if stepNo != e.cur.No {
		return refuse(liangze.ECONFLICT, "step %d is not the current step; the current step is %d", stepNo, e.cur.No)
	}
	for _, s := range states {
		if e.cur.State == s {
			return nil
		}
	}
	return refuse(liangze.ECONFLICT, "step %d is %s (%s), not %s", e.cur.No, e.cur.State, e.cur.State.Label().ZH, states[0])
}

func required(field, v string) error {
	if strings.TrimSpace(v) == "" {
		return refuse(liangze.EINVALID, "%s is required", field)
	}
	return nil
}

func (e *escalation) validateDecide(in DecideInput) error {
	if err := e.expect(in.StepNo, liangze.StepAwaitingApproval); err != nil {
		return err
	}
	if e.cur.ProposedBy != nil && *e.cur.ProposedBy == in.ActorID {
		return refuse(liangze.EFORBIDDEN, "the proposer of a step may not decide on it (four-eyes) / 不得审批本人提出的事项")
	}
	if !in.Approve {
		return required("comment", in.Comment)
	}
	return nil
}

func (e *escalation) decide(ctx workflow.Context, in DecideInput) (StepStatus, error) {
	return e.locked(ctx, func() error { return e.validateDecide(in) }, func(ctx workflow.Context) error {
		err := workflow.ExecuteActivity(ctx, a.DecideStep, activities.DecideParams{
			Step: e.change(ctx, in.StepNo, "decide", &in.ActorID), Approve: in.Approve, Comment: in.Comment}).Get(ctx, nil)
		if err != nil {
			return err
		}
		e.cur.State = liangze.StepAwaitingTalk
		if !in.Approve {
			e.cur.State = liangze.StepRejected
		}
		return nil
	})
}

func (e *escalation) validateTalk(in TalkInput) error {
	if err := e.expect(in.StepNo, liangze.StepAwaitingTalk); err != nil {
		return err
	}
	if in.HeldAt.IsZero() {
		return refuse(liangze.EINVALID, "held_at is required")
	}
	if in.Period < 0 {
		return refuse(liangze.EINVALID, "rectification period must not be negative")
	}
	if !in.RectificationPeriod.IsZero() {
		if err := in.RectificationPeriod.Validate("rectification_period"); err != nil {
			return refuse(liangze.EINVALID, "%s", err.(*liangze.Error).Message)
		}
	}
	for _, f := range [][2]string{{"conducted_by", in.ConductedBy}, {"content", in.Content}, {"requirements", in.Requirements}} {
		if err := required(f[0], f[1]); err != nil {
			return err
		}
	}
	return nil
}

func (e *escalation) recordTalk(ctx workflow.Context, in TalkInput) (StepStatus, error) {
	return e.locked(ctx, func() error { return e.validateTalk(in) }, func(ctx workflow.Context) error {
		rule, fixed := e.in.Timing.Rectification, e.in.Timing.RectificationPeriod
		if !in.RectificationPeriod.IsZero() {
			rule = in.RectificationPeriod
		}
		if in.Period > 0 {
			fixed = in.Period
		}
		due, err := e.deadline(ctx, rule, fixed)
		if err != nil {
			return err
		}
		talk := liangze.Talk{ConductedBy: in.ConductedBy, Participants: in.Participants, HeldAt: in.HeldAt,
			Location: in.Location, Content: in.Content, RecordedBy: in.ActorID}
		err = workflow.ExecuteActivity(ctx, a.RecordTalk, activities.TalkParams{
			Step: e.change(ctx, in.StepNo, "talk", &in.ActorID), Talk: talk, Requirements: in.Requirements,
			DueAt: due.Deadline.At, Rule: due.Deadline.Rule, Warnings: due.Deadline.Warnings}).Get(ctx, nil)
		if err != nil {
			return err
		}
		e.cur.State, e.cur.DueAt, e.remindAt = liangze.StepRectifying, &due.Deadline.At, due.RemindAt
		return nil
	})
}

func (e *escalation) validateSubmit(in SubmitInput) error {
	if err := e.expect(in.StepNo, liangze.StepRectifying); err != nil {
		return err
	}
	return required("report", in.Report)
}

func (e *escalation) submit(ctx workflow.Context, in SubmitInput) (StepStatus, error) {
	return e.locked(ctx, func() error { return e.validateSubmit(in) }, func(ctx workflow.Context) error {
		err := workflow.ExecuteActivity(ctx, a.SubmitRectification, activities.SubmitParams{
			Step: e.change(ctx, in.StepNo, "submit", &in.ActorID), Report: in.Report}).Get(ctx, nil)
		if err != nil {
			return err
		}
		e.cur.State, e.submitter = liangze.StepSubmitted, in.ActorID
		return nil
	})
}

func (e *escalation) validateVerify(in VerifyInput) error {
	if err := e.expect(in.StepNo, liangze.StepSubmitted); err != nil {
		return err
	}
	if in.ActorID == e.submitter {
		return refuse(liangze.EFORBIDDEN, "the submitter of a rectification report may not verify it / 不得核验本人提交的整改报告")
	}
	if !in.Accepted {
		return required("comment", in.Comment)
	}
	return nil
}

func (e *escalation) verify(ctx workflow.Context, in VerifyInput) (StepStatus, error) {
	return e.locked(ctx, func() error { return e.validateVerify(in) }, func(ctx workflow.Context) error {
		err := workflow.ExecuteActivity(ctx, a.VerifyRectification, activities.VerifyParams{
			Step: e.change(ctx, in.StepNo, "verify", &in.ActorID), Accepted: in.Accepted, Comment: in.Comment}).Get(ctx, nil)
		if err != nil {
			return err
		}
		e.cur.State, e.submitter = liangze.StepRectifying, uuid.Nil
		if in.Accepted {
			e.cur.State = liangze.StepVerified
		}
		return nil
	})
}

// locked runs one update's change under the workflow's mutex.
func (e *escalation) locked(ctx workflow.Context, check func() error, change func(workflow.Context) error) (StepStatus, error) {
	err := underLock(ctx, &e.turns, always, check, change)
	return e.cur, err
}
