package liangze

import (
	"fmt"
	"time"

	"github.com/google/uuid"
)

// Quarter is a calendar quarter, e.g. 2026 Q1.
type Quarter struct {
	Year    int `json:"year"`
	Quarter int `json:"quarter"`
}

// Validate checks the quarter.
func (q Quarter) Validate() error {
	if q.Year < 2000 || q.Year > 2100 {
		return FieldError("year", "year must be from 2000 to 2100")
	}
	if q.Quarter < 1 || q.Quarter > 4 {
		return FieldError("quarter", "quarter must be 1, 2, 3 or 4")
	}
	return nil
}

// Start is the quarter's first instant, China time.
func (q Quarter) Start() time.Time {
	return time.Date(q.Year, time.Month(3*(q.Quarter-1)+1), 1, 0, 0, 0, 0, ChinaTime)
}

// End is the instant after the quarter, China time.
func (q Quarter) End() time.Time { return q.Start().AddDate(0, 3, 0) }

func (q Quarter) String() string { return fmt.Sprintf("%d-Q%d", q.Year, q.Quarter) }

// ReportState is where a quarterly report stands.
type ReportState string

const (
	ReportDrafting  ReportState = "drafting"  // 填报中
	ReportSubmitted ReportState = "submitted" // 已报送，待审核
	ReportReturned  ReportState = "returned"  // 退回修改
	ReportAccepted  ReportState = "accepted"  // 已审核通过
)

var reportStateLabels = map[ReportState]Label{
	ReportDrafting: {"填报中", "Drafting"}, ReportSubmitted: {"已报送待审核", "Submitted"},
	ReportReturned: {"退回修改", "Returned for correction"}, ReportAccepted: {"已审核通过", "Accepted"},
}

// Label returns the state's zh-CN and English names.
func (s ReportState) Label() Label { return reportStateLabels[s] }

// Valid reports whether s is a known state.
func (s ReportState) Valid() bool { _, ok := reportStateLabels[s]; return ok }

// ReportForm is the accountability quarterly form (责任追究季报表).
type ReportForm struct {
	// Cases is the number of accountability cases decided.
	Cases int `json:"cases"`
	// PersonsHeldAccountable counts persons held accountable.
	PersonsHeldAccountable int `json:"persons_held_accountable"`
	// ByForm counts decided forms by accountability form.
	ByForm map[string]int `json:"by_form"`
	// ByLevel counts persons by the level they were found responsible at (0 the violation).
	ByLevel map[string]int `json:"by_level"`
	// TwoInvestigations counts one-case-two-investigation cases (一案双查).
	TwoInvestigations int `json:"one_case_two_investigations"`
	// TracedUpward counts cases traced above the unit.
	TracedUpward int `json:"traced_upward"`
	// TypicalCases are case ids put forward as typical cases (典型案例).
	TypicalCases []uuid.UUID `json:"typical_cases"`
}

// Add adds o's counts into f (typical cases are appended).
func (f *ReportForm) Add(o ReportForm) {
	f.Cases += o.Cases
	f.PersonsHeldAccountable += o.PersonsHeldAccountable
	f.TwoInvestigations += o.TwoInvestigations
	f.TracedUpward += o.TracedUpward
	if f.ByForm == nil {
		f.ByForm = map[string]int{}
	}
	if f.ByLevel == nil {
		f.ByLevel = map[string]int{}
	}
	for k, v := range o.ByForm {
		f.ByForm[k] += v
	}
	for k, v := range o.ByLevel {
		f.ByLevel[k] += v
	}
	f.TypicalCases = append(f.TypicalCases, o.TypicalCases...)
}

// Report is one unit's quarterly report.
type Report struct {
	ID            uuid.UUID   `json:"id"`
	WorkflowID    string      `json:"workflow_id"`
	UnitID        uuid.UUID   `json:"unit_id"`
	UnitName      Label       `json:"unit_name"`
	Quarter       Quarter     `json:"period"`
	State         ReportState `json:"state"`
	StateLabel    Label       `json:"state_label"`
	Prefill       ReportForm  `json:"prefill"`
	Form          ReportForm  `json:"form"`
	Notes         string      `json:"notes"`
	DueAt         *time.Time  `json:"due_at,omitempty"`
	DueRule       Label       `json:"due_rule,omitzero"`
	Overdue       bool        `json:"overdue"`
	EscalationID  *uuid.UUID  `json:"escalation_id,omitempty"`
	SubmittedBy   *uuid.UUID  `json:"submitted_by,omitempty"`
	SubmittedAt   *time.Time  `json:"submitted_at,omitempty"`
	ReviewedBy    *uuid.UUID  `json:"reviewed_by,omitempty"`
	ReviewedAt    *time.Time  `json:"reviewed_at,omitempty"`
	ReviewComment string      `json:"review_comment,omitempty"`
}
