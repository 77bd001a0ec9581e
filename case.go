package liangze

import (
	"time"

	"github.com/google/uuid"
)

// CaseStage is where a case (一案双查) stands.
type CaseStage string

const (
	StageVerification  CaseStage = "verification"  // 初核, until filing is decided
	StageInvestigation CaseStage = "investigation" // 立案调查: the violation and the responsibility, side by side
	StageDecision      CaseStage = "decision"      // 审理决定
	StageClosed        CaseStage = "closed"
)

var caseStageLabels = map[CaseStage]Label{
	StageVerification:  {"初步核实", "Preliminary verification"},
	StageInvestigation: {"立案调查", "Investigation"},
	StageDecision:      {"审理决定", "Decision"},
	StageClosed:        {"已结案", "Closed"},
}

// Label returns the stage's zh-CN and English names.
func (s CaseStage) Label() Label { return caseStageLabels[s] }

// Valid reports whether s is a known stage.
func (s CaseStage) Valid() bool { _, ok := caseStageLabels[s]; return ok }

// AccountabilityForm is a form of holding a person accountable (问责方式).
type AccountabilityForm string

const (
	FormOrganisational  AccountabilityForm = "organisational"         // 组织处理
	FormDisciplinary    AccountabilityForm = "disciplinary"           // 纪律处分
	FormAdmonishment    AccountabilityForm = "admonishment"           // 诫勉
	FormCirculated      AccountabilityForm = "circulated_criticism"   // 通报批评
	FormSelfCriticism   AccountabilityForm = "written_self_criticism" // 书面检查
	FormVeto            AccountabilityForm = "veto"                   // 一票否决
	FormEconomicPenalty AccountabilityForm = "economic"               // 经济处罚
)

var formLabels = map[AccountabilityForm]Label{
	FormOrganisational: {"组织处理", "Organisational handling"}, FormDisciplinary: {"纪律处分", "Party/government discipline"},
	FormAdmonishment: {"诫勉", "Admonishment"}, FormCirculated: {"通报批评", "Circulated criticism"},
	FormSelfCriticism: {"书面检查", "Written self-criticism"}, FormVeto: {"一票否决", "One-vote veto of awards"},
	FormEconomicPenalty: {"经济处罚", "Economic penalty"},
}

// Label returns the form's zh-CN and English names.
func (f AccountabilityForm) Label() Label { return formLabels[f] }

// Valid reports whether f is a known form.
func (f AccountabilityForm) Valid() bool { _, ok := formLabels[f]; return ok }

// Case is one case against a party member, investigated twice: the violation, and the
// responsibility of the unit's leadership, traced upward.
type Case struct {
	ID                   uuid.UUID      `json:"id"`
	WorkflowID           string         `json:"workflow_id"`
	UnitID               uuid.UUID      `json:"unit_id"`
	UnitName             Label          `json:"unit_name"`
	PersonID             uuid.UUID      `json:"person_id"`
	PersonName           string         `json:"person_name"`
	ClueSource           string         `json:"clue_source"`
	Summary              string         `json:"summary"`
	Category             string         `json:"category"`
	Evidence             []string       `json:"evidence"`
	ViolationDate        time.Time      `json:"violation_date"`
	EscalationID         *uuid.UUID     `json:"escalation_id,omitempty"`
	Severity             Severity       `json:"severity"`
	Stage                CaseStage      `json:"stage"`
	StageLabel           Label          `json:"stage_label"`
	Outcome              string         `json:"outcome,omitempty"`
	OpenedBy             uuid.UUID      `json:"opened_by"`
	OpenedAt             time.Time      `json:"opened_at"`
	FilingDecidedBy      *uuid.UUID     `json:"filing_decided_by,omitempty"`
	FilingComment        string         `json:"filing_comment,omitempty"`
	ViolationFinding     string         `json:"violation_finding,omitempty"`
	ViolationEstablished *bool          `json:"violation_established,omitempty"`
	StageDueAt           *time.Time     `json:"stage_due_at,omitempty"`
	StageDueRule         Label          `json:"stage_due_rule,omitzero"`
	StageOverdue         bool           `json:"stage_overdue"`
	ClosedAt             *time.Time     `json:"closed_at,omitempty"`
	Levels               []CaseLevel    `json:"levels,omitempty"`
	Findings             []Finding      `json:"findings,omitempty"`
	Decisions            []DecisionForm `json:"decisions,omitempty"`
}

// CaseLevel is one level of the responsibility investigation (责任倒查).
type CaseLevel struct {
	Level              int        `json:"level"`
	UnitID             uuid.UUID  `json:"unit_id"`
	UnitName           Label      `json:"unit_name"`
	State              string     `json:"state"` // investigating, at_fault, cleared
	Evidence           any        `json:"evidence"`
	PrimaryAtFault     *bool      `json:"primary_at_fault,omitempty"`
	SupervisoryAtFault *bool      `json:"supervisory_at_fault,omitempty"`
	Summary            string     `json:"summary,omitempty"`
	RecordedBy         *uuid.UUID `json:"recorded_by,omitempty"`
	RecordedAt         *time.Time `json:"recorded_at,omitempty"`
}

// Finding is a person's responsibility as found at a level (0: the violation itself):
// collective or individual, direct or leadership, former or current.
type Finding struct {
	Level       int       `json:"level"`
	PersonID    uuid.UUID `json:"person_id"`
	PersonName  string    `json:"person_name,omitempty"`
	Collective  bool      `json:"collective"`
	Direct      bool      `json:"direct"`
	Former      bool      `json:"former"`
	Description string    `json:"description,omitempty"`
}

// DecisionForm is one accountability form decided for one person, with its basis.
type DecisionForm struct {
	PersonID   uuid.UUID          `json:"person_id"`
	PersonName string             `json:"person_name,omitempty"`
	Form       AccountabilityForm `json:"form"`
	FormLabel  Label              `json:"form_label"`
	Basis      string             `json:"basis"`
}

// LeaderAt is someone who held a leading position in a unit on a given day, and whether
// they still hold it.
type LeaderAt struct {
	PersonID uuid.UUID    `json:"person_id"`
	Name     string       `json:"name"`
	Title    Label        `json:"title"`
	Kind     PositionKind `json:"kind"`
	Current  bool         `json:"current"`
}

// SignedRef points at a signed record (签字背书记录) of the annual sign-off: enough to cite
// it as evidence, with the hash of exactly what was signed.
type SignedRef struct {
	ID          uuid.UUID  `json:"id"`
	Document    Document   `json:"document"`
	Version     int        `json:"version"`
	Part        SignedPart `json:"part"`
	PartLabel   Label      `json:"part_label"`
	SignerName  string     `json:"signer_name"`
	SignerTitle Label      `json:"signer_title"`
	SignedAt    time.Time  `json:"signed_at"`
	ContentHash string     `json:"content_hash"`
}

// LevelEvidence is what a level's responsibility investigation starts from.
type LevelEvidence struct {
	Primary       ResponsibilitySubject `json:"primary_responsibility"`
	Supervisory   ResponsibilitySubject `json:"supervisory_responsibility"`
	LeadersAt     []LeaderAt            `json:"leaders_at_violation"`
	SignedRecords []SignedRef           `json:"signed_records"`
	Notes         []string              `json:"notes"`
	ParentID      *uuid.UUID            `json:"parent_id,omitempty"`
}
