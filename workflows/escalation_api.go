// Package workflows holds liangze's deterministic process code, one process per file.
package workflows

import (
	"time"

	"github.com/google/uuid"

	"liangze"
)

// TaskQueue is the task queue liangze's workers poll by default.
const TaskQueue = "liangze"

// Names of the escalation workflow and of its updates and query.
const (
	EscalationWorkflowName    = "Escalation"
	UpdateDecide              = "decide"
	UpdateRecordTalk          = "record_talk"
	UpdateSubmitRectification = "submit_rectification"
	UpdateVerifyRectification = "verify_rectification"
	QueryStatus               = "status"
	// SignalRecomputeDeadline asks an escalation to recompute its current deadline on the
	// calendar as it is now; sent only when an admin asks for it.
	SignalRecomputeDeadline = "recompute_deadline"
)

// RecomputeInput is the payload of SignalRecomputeDeadline.
type RecomputeInput struct {
	RequestedBy uuid.UUID
}

// EscalationWorkflowID is the workflow id of an escalation: derived from its id, so a
// retried request to open it never starts two.
func EscalationWorkflowID(id uuid.UUID) string { return "escalation/" + id.String() }

// Timing sets an escalation's deadlines. It is fixed when the escalation opens.
type Timing struct {
	// Rectification is the rule from a recorded talk to its rectification deadline, e.g.
	// 15 working days, counted on the official calendar.
	Rectification liangze.Period
	// AutoReminder is the rule an automatic reminder gives to rectify.
	AutoReminder liangze.Period
	// Reminders say how long before a deadline reminders go out, e.g. 1 working day.
	Reminders []liangze.Period
	// ApprovalReminder is how long a proposed step may wait for a decision before the
	// supervisors are reminded again (e.g. 2 working days), at most ApprovalReminders times.
	ApprovalReminder  liangze.Period
	ApprovalReminders int

	// Fixed durations, used where no rule is set (and by escalations opened before the
	// calendar existed).
	RectificationPeriod time.Duration
	AutoReminderPeriod  time.Duration
	ReminderOffsets     []time.Duration
}

// EscalationInput opens an escalation at a level.
type EscalationInput struct {
	EscalationID uuid.UUID
	UnitID       uuid.UUID
	PersonID     *uuid.UUID
	Trigger      string
	Problem      string
	Severity     liangze.Severity
	Level        liangze.Level
	Reason       string
	ProposedBy   *uuid.UUID // nil when the system opens it (a missed deadline elsewhere)
	Timing       Timing
}

// DecideInput is a supervisor's decision on the current step.
type DecideInput struct {
	StepNo  int
	ActorID uuid.UUID
	Approve bool
	Comment string
}

// TalkInput records the talk of an approved step and sets the rectification deadline.
type TalkInput struct {
	StepNo       int
	ActorID      uuid.UUID
	ConductedBy  string
	Participants string
	HeldAt       time.Time
	Location     string
	Content      string
	Requirements string
	// RectificationPeriod overrides the escalation's rectification rule when set.
	RectificationPeriod liangze.Period
	// Period overrides the fixed rectification duration when positive (before the calendar).
	Period time.Duration
}

// SubmitInput is the unit's rectification report on the current step.
type SubmitInput struct {
	StepNo  int
	ActorID uuid.UUID
	Report  string
}

// VerifyInput accepts or refuses the submitted rectification.
type VerifyInput struct {
	StepNo   int
	ActorID  uuid.UUID
	Accepted bool
	Comment  string
}

// StepStatus is where the current step stands, as updates and the status query return it.
type StepStatus struct {
	No         int
	Level      liangze.Level
	State      liangze.StepState
	ProposedBy *uuid.UUID
	DueAt      *time.Time
}

// EscalationStatus is what the status query returns and the workflow's result.
type EscalationStatus struct {
	State liangze.EscalationState
	Step  StepStatus
}
