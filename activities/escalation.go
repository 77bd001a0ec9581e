package activities

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"go.temporal.io/sdk/temporal"

	"liangze"
	"liangze/store"
)

// Activities are the escalation process's side effects. The worker registers one value;
// workflows call its methods by reference.
type Activities struct {
	Store    *store.Store
	Notifier Notifier
}

// StepParams names a step change: its exactly-once key, escalation, step, actor and time.
type StepParams = store.StepChange

// OpenEscalation stores a new escalation.
func (a *Activities) OpenEscalation(ctx context.Context, e store.NewEscalation) error {
	return nonRetryableIfDomain(a.Store.OpenEscalation(ctx, e))
}

// ProposeParams proposes a step at a level.
type ProposeParams struct {
	Step   StepParams
	Level  liangze.Level
	Reason string
	DueAt  *time.Time // for a step that needs no approval
	// Rule and Warnings come with DueAt when it was computed on the calendar.
	Rule     liangze.Label
	Warnings []string
}

// ProposeStep stores a proposed step and tells who must act on it: supervisors for a
// step that needs approval, the unit for an automatic reminder.
func (a *Activities) ProposeStep(ctx context.Context, p ProposeParams) error {
	var due *liangze.Deadline
	if p.DueAt != nil {
		due = &liangze.Deadline{At: *p.DueAt, Rule: p.Rule, Warnings: p.Warnings}
	}
	if err := a.Store.ProposeStep(ctx, p.Step, p.Level, p.Reason, due); err != nil {
		return nonRetryableIfDomain(err)
	}
	e, err := a.Store.Escalation(ctx, p.Step.EscalationID)
	if err != nil {
		return err
	}
	if !p.Level.NeedsApproval() {
		return a.notifyUnit(ctx, e, p.Step, "auto_reminder", p.DueAt, liangze.Label{
			ZH: "自动预警提醒：请按期整改", EN: "Automatic warning: rectify by the deadline"})
	}
	supervisors, err := a.Store.UnitUsers(ctx, e.UnitID, liangze.RoleSupervisor, true)
	if err != nil {
		return err
	}
	title := liangze.Label{ZH: "待审批：" + p.Level.Label().ZH, EN: "Approval needed: " + p.Level.Label().EN}
	return a.remind(ctx, e, p.Step, "approval_needed", title, p.Reason, nil, supervisors)
}

// ApprovalReminderParams reminds the supervisors of a step still waiting for a decision.
type ApprovalReminderParams struct {
	Step       StepParams
	Level      liangze.Level
	Since      time.Time
	ProposedBy *uuid.UUID
}

// RemindApproval reminds the supervisors in scope (not the proposer, who may not decide) that
// a step has waited for their decision since it was proposed.
func (a *Activities) RemindApproval(ctx context.Context, p ApprovalReminderParams) error {
	e, err := a.Store.Escalation(ctx, p.Step.EscalationID)
	if err != nil {
		return err
	}
	supervisors, err := a.Store.UnitUsers(ctx, e.UnitID, liangze.RoleSupervisor, true)
	if err != nil {
		return err
	}
	var to []uuid.UUID
	for _, s := range supervisors {
		if p.ProposedBy == nil || s != *p.ProposedBy {
			to = append(to, s)
		}
	}
	since := p.Since.In(liangze.ChinaTime).Format("2006-01-02 15:04")
	title := liangze.Label{ZH: "审批提醒：" + p.Level.Label().ZH + "自" + since + "起待审批", EN: "Reminder: " + p.Level.Label().EN +
		" awaiting approval since " + since}
	return a.remind(ctx, e, p.Step, "approval_waiting", title, e.Problem, nil, to)
}

// DecideParams is a supervisor's decision on a proposed step.
type DecideParams struct {
	Step    StepParams
	Approve bool
	Comment string
}

// DecideStep stores the decision and tells the proposer.
func (a *Activities) DecideStep(ctx context.Context, p DecideParams) error {
	if err := a.Store.DecideStep(ctx, p.Step, p.Approve, p.Comment); err != nil {
		return nonRetryableIfDomain(err)
	}
	e, err := a.Store.Escalation(ctx, p.Step.EscalationID)
	if err != nil {
		return err
	}
	st := e.Steps[p.Step.StepNo-1]
	if st.ProposedBy == nil {
		return nil
	}
	title := liangze.Label{ZH: "已批准：" + st.LevelLabel.ZH, EN: "Approved: " + st.LevelLabel.EN}
	if !p.Approve {
		title = liangze.Label{ZH: "未批准：" + st.LevelLabel.ZH, EN: "Rejected: " + st.LevelLabel.EN}
	}
	return a.remind(ctx, e, p.Step, "decision", title, p.Comment, nil, []uuid.UUID{*st.ProposedBy})
}

// TalkParams records the talk held at an approved step.
type TalkParams struct {
	Step         StepParams
	Talk         liangze.Talk
	Requirements string
	DueAt        time.Time
	// Rule and Warnings come with DueAt when it was computed on the calendar.
	Rule     liangze.Label
	Warnings []string
}

// RecordTalk stores the talk and tells the unit what to rectify by when.
func (a *Activities) RecordTalk(ctx context.Context, p TalkParams) error {
	due := liangze.Deadline{At: p.DueAt, Rule: p.Rule, Warnings: p.Warnings}
	if err := a.Store.RecordTalk(ctx, p.Step, p.Talk, p.Requirements, due); err != nil {
		return nonRetryableIfDomain(err)
	}
	e, err := a.Store.Escalation(ctx, p.Step.EscalationID)
	if err != nil {
		return err
	}
	return a.notifyUnit(ctx, e, p.Step, "rectification_required", &p.DueAt, liangze.Label{
		ZH: "整改要求：" + p.Requirements, EN: "Rectification required"})
}

// SubmitParams is the unit's rectification report.
type SubmitParams struct {
	Step   StepParams
	Report string
}

// SubmitRectification stores the report and tells the inspectors to verify it.
func (a *Activities) SubmitRectification(ctx context.Context, p SubmitParams) error {
	if err := a.Store.SubmitRectification(ctx, p.Step, p.Report); err != nil {
		return nonRetryableIfDomain(err)
	}
	e, err := a.Store.Escalation(ctx, p.Step.EscalationID)
	if err != nil {
		return err
	}
	inspectors, err := a.Store.UnitUsers(ctx, e.UnitID, liangze.RoleInspector, true)
	if err != nil {
		return err
	}
	return a.remind(ctx, e, p.Step, "verification_needed",
		liangze.Label{ZH: "整改报告待核验", EN: "Rectification report to verify"}, p.Report, nil, inspectors)
}

// VerifyParams is the verification of a rectification report.
type VerifyParams struct {
	Step     StepParams
	Accepted bool
	Comment  string
}

// VerifyRectification stores the verification; a refused report is sent back to the unit.
func (a *Activities) VerifyRectification(ctx context.Context, p VerifyParams) error {
	if err := a.Store.VerifyRectification(ctx, p.Step, p.Accepted, p.Comment); err != nil {
		return nonRetryableIfDomain(err)
	}
	if p.Accepted {
		return nil
	}
	e, err := a.Store.Escalation(ctx, p.Step.EscalationID)
	if err != nil {
		return err
	}
	return a.notifyUnit(ctx, e, p.Step, "rectification_refused", e.Steps[p.Step.StepNo-1].DueAt,
		liangze.Label{ZH: "整改未通过核验：" + p.Comment, EN: "Rectification not accepted"})
}

// MarkOverdue records a missed deadline and tells the unit and the inspectors.
func (a *Activities) MarkOverdue(ctx context.Context, p StepParams) error {
	if err := a.Store.MarkOverdue(ctx, p); err != nil {
		return nonRetryableIfDomain(err)
	}
	e, err := a.Store.Escalation(ctx, p.EscalationID)
	if err != nil {
		return err
	}
	title := liangze.Label{ZH: "逾期未整改，将升级处理", EN: "Deadline missed: escalating"}
	due := e.Steps[p.StepNo-1].DueAt
	if err := a.notifyUnit(ctx, e, p, "overdue", due, title); err != nil {
		return err
	}
	inspectors, err := a.Store.UnitUsers(ctx, e.UnitID, liangze.RoleInspector, true)
	if err != nil {
		return err
	}
	return a.remind(ctx, e, p, "overdue", title, e.Problem, due, inspectors)
}

// ReminderParams is a reminder before a step's deadline.
type ReminderParams struct {
	Step   StepParams
	DueAt  time.Time
	Before time.Duration
}

// SendDueReminder reminds the unit that a step's rectification is due. It is stored once
// per escalation, step, due date and offset, however often it is retried.
func (a *Activities) SendDueReminder(ctx context.Context, p ReminderParams) error {
	e, err := a.Store.Escalation(ctx, p.Step.EscalationID)
	if err != nil {
		return err
	}
	title := liangze.Label{
		ZH: fmt.Sprintf("整改将于%s到期", p.DueAt.In(liangze.ChinaTime).Format("2006-01-02 15:04")),
		EN: fmt.Sprintf("Rectification due %s", p.DueAt.In(liangze.ChinaTime).Format("2006-01-02 15:04 MST"))}
	return a.notifyUnit(ctx, e, p.Step, "due_soon", &p.DueAt, title)
}

// HandOverParams hands an escalation at the top of the ladder to accountability.
type HandOverParams struct {
	Step    StepParams
	Summary string
}

// HandOver records the hand-over to accountability (问责). The one-case-two-investigations
// process picks it up from accountability_handovers.
func (a *Activities) HandOver(ctx context.Context, p HandOverParams) error {
	return nonRetryableIfDomain(a.Store.HandOver(ctx, p.Step, p.Summary))
}

// CloseParams closes an escalation.
type CloseParams struct {
	Step    StepParams
	Outcome liangze.EscalationState
}

// CloseEscalation closes the escalation and tells the unit.
func (a *Activities) CloseEscalation(ctx context.Context, p CloseParams) error {
	if err := a.Store.CloseEscalation(ctx, p.Step, p.Outcome); err != nil {
		return nonRetryableIfDomain(err)
	}
	e, err := a.Store.Escalation(ctx, p.Step.EscalationID)
	if err != nil {
		return err
	}
	return a.notifyUnit(ctx, e, p.Step, "closed", nil, liangze.Label{
		ZH: "督办事项已结束：" + p.Outcome.Label().ZH, EN: "Escalation closed: " + p.Outcome.Label().EN})
}

// notifyUnit reminds the unit's leaders and the person concerned.
func (a *Activities) notifyUnit(ctx context.Context, e liangze.Escalation, step StepParams, kind string, due *time.Time, title liangze.Label) error {
	users, err := a.Store.UnitUsers(ctx, e.UnitID, liangze.RoleUnitLeader, false)
	if err != nil {
		return err
	}
	if e.PersonID != nil {
		more, err := a.Store.PersonUsers(ctx, *e.PersonID)
		if err != nil {
			return err
		}
		users = appendNew(users, more...)
	}
	return a.remind(ctx, e, step, kind, title, e.Problem, due, users)
}

// remind stores a reminder for the users, keyed by the step change, and delivers the new ones.
func (a *Activities) remind(ctx context.Context, e liangze.Escalation, step StepParams, kind string, title liangze.Label, body string, due *time.Time, users []uuid.UUID) error {
	no := step.StepNo
	return a.deliver(ctx, store.NewReminder{DedupeKey: step.Key + "/" + kind, Kind: kind, Title: title,
		Body: body, EscalationID: &e.ID, StepNo: &no, DueAt: due}, users)
}

func appendNew(ids []uuid.UUID, more ...uuid.UUID) []uuid.UUID {
	for _, m := range more {
		found := false
		for _, id := range ids {
			found = found || id == m
		}
		if !found {
			ids = append(ids, m)
		}
	}
	return ids
}

// nonRetryableIfDomain stops retries of business-rule failures; infrastructure failures
// stay retryable.
func nonRetryableIfDomain(err error) error {
	if err == nil {
		return nil
	}
	if code := liangze.ErrorCode(err); code != liangze.EINTERNAL {
		return temporal.NewNonRetryableApplicationError(err.Error(), code, err)
	}
	return err
}
