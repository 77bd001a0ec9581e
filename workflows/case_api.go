package workflows

import (
	"fmt"
	"time"

	"github.com/google/uuid"

	"liangze"
)

// Names of the case workflows and their updates.
const (
	CaseWorkflowName           = "Case"
	ResponsibilityWorkflowName = "ResponsibilityInvestigation"

	UpdateDecideFiling       = "decide_filing"
	UpdateRecordViolation    = "record_violation"
	UpdateRequestExtension   = "request_extension"
	UpdateDecideExtension    = "decide_extension"
	UpdateProposeDecision    = "propose_decision"
	UpdateDecideDecision     = "decide_decision"
	UpdateRecordLevelFinding = "record_level_finding"
)

// CaseWorkflowID is the workflow id of a case.
func CaseWorkflowID(id uuid.UUID) string { return "case/" + id.String() }

// LevelWorkflowID is the workflow id of one level of a case's responsibility investigation.
func LevelWorkflowID(caseID uuid.UUID, level int) string {
	return fmt.Sprintf("case/%s/level/%d", caseID, level)
}

// CaseTiming sets a case's stage deadlines; fixed when the case opens.
type CaseTiming struct {
	Verification  liangze.Period // 初核, default 30 days
	Investigation liangze.Period // 调查, default 90 days
	Decision      liangze.Period // 审理决定
	Reminders     []liangze.Period
	// OverdueEscalation, when set, makes a missed stage deadline open an escalation (at the
	// automatic reminder) against the inspector's unit, with this timing; otherwise the
	// stage is flagged overdue and the inspector and supervisors are told.
	OverdueEscalation *Timing
}

// CaseInput opens a case.
type CaseInput struct {
	CaseID        uuid.UUID
	UnitID        uuid.UUID
	PersonID      uuid.UUID
	ClueSource    string
	Summary       string
	Category      string
	Evidence      []string
	ViolationDate time.Time
	EscalationID  *uuid.UUID
	Severity      liangze.Severity
	OpenedBy      uuid.UUID
	// InspectorUnitID is the unit the inspector works for (their scope).
	InspectorUnitID uuid.UUID
	Timing          CaseTiming
}

// FilingInput decides on filing (立案) after preliminary verification.
type FilingInput struct {
	ActorID uuid.UUID
	File    bool
	Comment string
}

// ViolationInput is the finding of the violation investigation.
type ViolationInput struct {
	ActorID     uuid.UUID
	Established bool
	Finding     string
}

// ExtensionInput asks for more time for the current stage.
type ExtensionInput struct {
	ActorID uuid.UUID
	Period  liangze.Period
	Reason  string
}

// DecisionInput proposes the decision: accountability forms per person.
type DecisionInput struct {
	ActorID uuid.UUID
	Forms   []liangze.DecisionForm
}

// ApprovalInput approves or rejects a pending extension or decision.
type ApprovalInput struct {
	ActorID uuid.UUID
	Approve bool
	Comment string
}

// CaseStatus is what case updates return and the case workflow's result.
type CaseStatus struct {
	Stage            liangze.CaseStage
	DueAt            *time.Time
	PendingExtension bool
	PendingDecision  bool
	Chain            []LevelOutcome
}

// LevelInput starts one level of the responsibility investigation.
type LevelInput struct {
	CaseID        uuid.UUID
	Level         int
	UnitID        uuid.UUID
	ViolationDate time.Time
}

// LevelFindingInput is a level's finding: did the unit's party body carry its primary
// responsibility and its discipline body the supervisory one, and who is responsible.
type LevelFindingInput struct {
	ActorID            uuid.UUID
	PrimaryAtFault     bool
	SupervisoryAtFault bool
	Summary            string
	Persons            []liangze.Finding
}

// LevelOutcome is one level's result in the upward chain.
type LevelOutcome struct {
	Level   int
	UnitID  uuid.UUID
	AtFault bool
	Persons []uuid.UUID
}
