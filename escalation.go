package liangze

import (
	"time"

	"github.com/google/uuid"
)

// Level is a rung of the talk-and-reminder ladder (提醒—谈话—约谈), lowest first.
type Level string

const (
	LevelAutoReminder   Level = "auto_reminder"        // 自动预警提醒, no approval needed
	LevelReminderTalk   Level = "reminder_talk"        // 提醒谈话
	LevelInterview      Level = "interview"            // 约谈
	LevelInquiry        Level = "written_inquiry"      // 函询
	LevelAdmonishment   Level = "admonishment"         // 诫勉谈话
	LevelCirculated     Level = "circulated_criticism" // 通报批评
	LevelAccountability Level = "accountability"       // 问责: hands over to a case
)

// Ladder lists the levels from lowest to highest.
var Ladder = []Level{
	LevelAutoReminder, LevelReminderTalk, LevelInterview, LevelInquiry,
	LevelAdmonishment, LevelCirculated, LevelAccountability,
}

var levelLabels = map[Level]Label{
	LevelAutoReminder:   {"自动预警提醒", "Automatic reminder"},
	LevelReminderTalk:   {"提醒谈话", "Reminder talk"},
	LevelInterview:      {"约谈", "Interview"},
	LevelInquiry:        {"函询", "Written inquiry"},
	LevelAdmonishment:   {"诫勉谈话", "Admonishment talk"},
	LevelCirculated:     {"通报批评", "Circulated criticism"},
	LevelAccountability: {"问责", "Accountability"},
}

// Label returns the level's zh-CN and English names.
func (l Level) Label() Label { return levelLabels[l] }

// Valid reports whether l is on the ladder.
func (l Level) Valid() bool { _, ok := levelLabels[l]; return ok }

// Rank is the level's position on the ladder, 0 for the automatic reminder, -1 if unknown.
func (l Level) Rank() int {
	for i, x := range Ladder {
		if x == l {
			return i
		}
	}
	return -1
}

// Next returns the level above l, and false at the top.
func (l Level) Next() (Level, bool) {
	r := l.Rank()
	if r < 0 || r+1 >= len(Ladder) {
		return "", false
	}
	return Ladder[r+1], true
}

// NeedsApproval reports whether a supervisor must approve a step at this level.
func (l Level) NeedsApproval() bool { return l != LevelAutoReminder }

// Severity grades a problem (问题定性).
type Severity string

const (
	SeverityMinor   Severity = "minor"   // 轻微
	SeverityGeneral Severity = "general" // 一般
	SeveritySerious Severity = "serious" // 严重
)

var severityLabels = map[Severity]Label{
	SeverityMinor: {"轻微", "Minor"}, SeverityGeneral: {"一般", "General"}, SeveritySerious: {"严重", "Serious"},
}

// Label returns the severity's zh-CN and English names.
func (s Severity) Label() Label { return severityLabels[s] }

// Valid reports whether s is a known severity.
func (s Severity) Valid() bool { _, ok := severityLabels[s]; return ok }

// EscalationState is where an escalation as a whole stands.
type EscalationState string

const (
	EscalationOpen       EscalationState = "open"
	EscalationRectified  EscalationState = "rectified"   // 整改销号: closed, rectification verified
	EscalationRejected   EscalationState = "rejected"    // closed: a supervisor rejected the proposed step
	EscalationHandedOver EscalationState = "handed_over" // closed: handed over to accountability (问责)
)

var escalationStateLabels = map[EscalationState]Label{
	EscalationOpen:       {"进行中", "Open"},
	EscalationRectified:  {"已整改销号", "Rectified and closed"},
	EscalationRejected:   {"未批准，已关闭", "Rejected and closed"},
	EscalationHandedOver: {"已移交问责", "Handed over to accountability"},
}

// Label returns the state's zh-CN and English names.
func (s EscalationState) Label() Label { return escalationStateLabels[s] }

// Valid reports whether s is a known escalation state.
func (s EscalationState) Valid() bool { _, ok := escalationStateLabels[s]; return ok }

// StepState is where one step of an escalation stands.
type StepState string

const (
	StepAwaitingApproval StepState = "awaiting_approval" // 待审批
	StepRejected         StepState = "rejected"          // 未批准
	StepAwaitingTalk     StepState = "awaiting_talk"     // 已批准，待谈话
	StepRectifying       StepState = "rectifying"        // 整改中
	StepSubmitted        StepState = "submitted"         // 整改报告已提交，待核验
	StepVerified         StepState = "verified"          // 整改已核验
	StepOverdue          StepState = "overdue"           // 逾期未整改
	StepHandedOver       StepState = "handed_over"       // 已移交问责
)

var stepStateLabels = map[StepState]Label{
	StepAwaitingApproval: {"待审批", "Awaiting approval"},
	StepRejected:         {"未批准", "Rejected"},
	StepAwaitingTalk:     {"已批准，待谈话", "Approved, talk pending"},
	StepRectifying:       {"整改中", "Rectifying"},
	StepSubmitted:        {"整改报告待核验", "Rectification submitted"},
	StepVerified:         {"整改已核验", "Rectification verified"},
	StepOverdue:          {"逾期未整改", "Overdue"},
	StepHandedOver:       {"已移交问责", "Handed over"},
}

// Label returns the step state's zh-CN and English names.
func (s StepState) Label() Label { return stepStateLabels[s] }

// Escalation is one run of the talk-and-reminder ladder against a unit (and optionally a
// person in it).
type Escalation struct {
	ID            uuid.UUID       `json:"id"`
	WorkflowID    string          `json:"workflow_id"`
	UnitID        uuid.UUID       `json:"unit_id"`
	UnitName      Label           `json:"unit_name"`
	PersonID      *uuid.UUID      `json:"person_id,omitempty"`
	PersonName    string          `json:"person_name,omitempty"`
	Trigger       string          `json:"trigger"`
	Problem       string          `json:"problem"`
	Severity      Severity        `json:"severity"`
	SeverityLabel Label           `json:"severity_label"`
	Level         Level           `json:"level"`
	LevelLabel    Label           `json:"level_label"`
	CurrentStep   int             `json:"current_step"`
	State         EscalationState `json:"state"`
	StateLabel    Label           `json:"state_label"`
	OpenedBy      *uuid.UUID      `json:"opened_by,omitempty"`
	OpenedAt      time.Time       `json:"opened_at"`
	ClosedAt      *time.Time      `json:"closed_at,omitempty"`
	Steps         []Step          `json:"steps,omitempty"`
}

// Step is one rung taken: proposed, decided, talked, rectified or overdue.
type Step struct {
	No              int        `json:"no"`
	Level           Level      `json:"level"`
	LevelLabel      Label      `json:"level_label"`
	State           StepState  `json:"state"`
	StateLabel      Label      `json:"state_label"`
	Reason          string     `json:"reason"`
	ProposedBy      *uuid.UUID `json:"proposed_by,omitempty"` // nil: proposed by the system
	ProposedAt      time.Time  `json:"proposed_at"`
	DecidedBy       *uuid.UUID `json:"decided_by,omitempty"`
	DecidedAt       *time.Time `json:"decided_at,omitempty"`
	DecisionComment string     `json:"decision_comment,omitempty"`
	Talk            *Talk      `json:"talk,omitempty"`
	Requirements    string     `json:"requirements,omitempty"`
	DueAt           *time.Time `json:"due_at,omitempty"`
	// DueRule is the rule the deadline was computed by, e.g. "15 个工作日".
	DueRule Label `json:"due_rule,omitzero"`
	// DueWarnings say where the calendar lacked data for the years the deadline spans.
	DueWarnings         []string   `json:"due_warnings,omitempty"`
	RectificationReport string     `json:"rectification_report,omitempty"`
	SubmittedBy         *uuid.UUID `json:"submitted_by,omitempty"`
	SubmittedAt         *time.Time `json:"submitted_at,omitempty"`
	VerifiedBy          *uuid.UUID `json:"verified_by,omitempty"`
	VerifiedAt          *time.Time `json:"verified_at,omitempty"`
	VerificationComment string     `json:"verification_comment,omitempty"`
}

// Talk records a talk held at an approved step: who held it, when, where, what was said.
type Talk struct {
	ConductedBy  string    `json:"conducted_by"`
	Participants string    `json:"participants,omitempty"`
	HeldAt       time.Time `json:"held_at"`
	Location     string    `json:"location,omitempty"`
	Content      string    `json:"content"`
	RecordedBy   uuid.UUID `json:"recorded_by"`
}

// Reminder is an item in a user's in-app inbox (提醒).
type Reminder struct {
	ID           int64      `json:"id"`
	UserID       uuid.UUID  `json:"user_id"`
	Kind         string     `json:"kind"`
	Title        Label      `json:"title"`
	Body         string     `json:"body"`
	EscalationID *uuid.UUID `json:"escalation_id,omitempty"`
	StepNo       *int       `json:"step_no,omitempty"`
	DueAt        *time.Time `json:"due_at,omitempty"`
	CreatedAt    time.Time  `json:"created_at"`
	ReadAt       *time.Time `json:"read_at,omitempty"`
}

// AuditRecord is one append-only entry of the audit log.
type AuditRecord struct {
	ID       int64      `json:"id"`
	At       time.Time  `json:"at"`
	ActorID  *uuid.UUID `json:"actor_id,omitempty"`
	Entity   string     `json:"entity"`
	EntityID string     `json:"entity_id"`
	Action   string     `json:"action"`
	Detail   any        `json:"detail,omitempty"`
}

// Problem is an entry of the problem list (问题清单): what an escalation is about, with its
// severity, open until the escalation closes.
type Problem struct {
	ID            uuid.UUID  `json:"id"`
	EscalationID  *uuid.UUID `json:"escalation_id,omitempty"`
	UnitID        uuid.UUID  `json:"unit_id"`
	UnitName      Label      `json:"unit_name"`
	Severity      Severity   `json:"severity"`
	SeverityLabel Label      `json:"severity_label"`
	Description   string     `json:"description"`
	Open          bool       `json:"open"`
	CreatedAt     time.Time  `json:"created_at"`
	ClosedAt      *time.Time `json:"closed_at,omitempty"`
}
