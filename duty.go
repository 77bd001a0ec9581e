package liangze

import (
	"time"

	"github.com/google/uuid"
)

// DutyKind is a dated duty of a unit's year besides its task list.
type DutyKind string

const (
	// DutyCommitment is the public integrity commitment (勤廉承诺), by the end of January.
	DutyCommitment DutyKind = "integrity_commitment"
	// DutyCommitmentReview is the year-end evaluation of how the commitment was kept (评议).
	DutyCommitmentReview DutyKind = "commitment_review"
	// DutyReportParty is the double report (双报告) to the upper party committee on last year.
	DutyReportParty DutyKind = "double_report_party"
	// DutyReportDiscipline is the double report to the upper discipline commission.
	DutyReportDiscipline DutyKind = "double_report_discipline"
	// DutyReportOwnCommittee is the discipline body's report to its own party committee.
	DutyReportOwnCommittee DutyKind = "discipline_report_own_committee"
	// DutyMidyearMeeting and DutyYearendMeeting are the special meetings (专题会议).
	DutyMidyearMeeting DutyKind = "midyear_meeting"
	DutyYearendMeeting DutyKind = "yearend_meeting"
	// DutyIntegrityTalk is an integrity talk (廉政谈话) of the head with one person.
	DutyIntegrityTalk DutyKind = "integrity_talk"
)

var dutyLabels = map[DutyKind]Label{
	DutyCommitment:         {"公开勤廉承诺", "Public integrity commitment"},
	DutyCommitmentReview:   {"勤廉承诺年终评议", "Year-end evaluation of the integrity commitment"},
	DutyReportParty:        {"向上级党委报告履行主体责任情况（双报告）", "Report to the upper party committee (double report)"},
	DutyReportDiscipline:   {"向上级纪委报告履行主体责任情况（双报告）", "Report to the upper discipline commission (double report)"},
	DutyReportOwnCommittee: {"纪委向本级党委报告履行监督责任情况", "Discipline body's report to its own party committee"},
	DutyMidyearMeeting:     {"年中党风廉政建设专题会议", "Mid-year special meeting"},
	DutyYearendMeeting:     {"年终党风廉政建设专题会议", "Year-end special meeting"},
	DutyIntegrityTalk:      {"廉政谈话", "Integrity talk"},
}

// Label returns the kind's zh-CN and English names.
func (k DutyKind) Label() Label { return dutyLabels[k] }

// Valid reports whether k is a known kind.
func (k DutyKind) Valid() bool { _, ok := dutyLabels[k]; return ok }

// DutyState is where a duty stands.
type DutyState string

const (
	DutyPending DutyState = "pending" // 待完成
	DutyDone    DutyState = "done"    // 已完成
)

// Label returns the state's zh-CN and English names.
func (s DutyState) Label() Label {
	if s == DutyDone {
		return Label{"已完成", "Done"}
	}
	return Label{"待完成", "Pending"}
}

// Duty is one dated duty of a unit's year; an integrity talk names the person talked to
// (a leadership member, or the head of a subordinate unit).
type Duty struct {
	ID            uuid.UUID  `json:"id"`
	SignoffID     uuid.UUID  `json:"signoff_id"`
	UnitID        uuid.UUID  `json:"unit_id"`
	Year          int        `json:"year"`
	Kind          DutyKind   `json:"kind"`
	KindLabel     Label      `json:"kind_label"`
	SubjectID     *uuid.UUID `json:"subject_person_id,omitempty"`
	SubjectName   string     `json:"subject_name,omitempty"`
	SubjectUnitID *uuid.UUID `json:"subject_unit_id,omitempty"`
	DueAt         time.Time  `json:"due_at"`
	DueRule       Label      `json:"due_rule"`
	State         DutyState  `json:"state"`
	StateLabel    Label      `json:"state_label"`
	DoneOn        *string    `json:"done_on,omitempty"`
	DoneBy        *uuid.UUID `json:"done_by,omitempty"`
	Note          string     `json:"note"`
	Overdue       bool       `json:"overdue"`
	EscalationID  *uuid.UUID `json:"escalation_id,omitempty"`
}

// DutyID derives a duty's id from the sign-off, its kind and the person talked to, so
// opening the duties twice creates nothing new.
func DutyID(signoff uuid.UUID, kind DutyKind, subject *uuid.UUID) uuid.UUID {
	name := string(kind)
	if subject != nil {
		name += "/" + subject.String()
	}
	return uuid.NewSHA1(signoff, []byte(name))
}
