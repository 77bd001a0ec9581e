// Package liangze holds the domain types of the "two responsibilities" (两个责任)
// accountability system: org units, people and positions, users and roles, and the
// talk-and-reminder escalation ladder. Other packages depend on it; it depends on none
// of them.
package liangze

import (
	"time"

	"github.com/google/uuid"
)

// Label is a name given in Chinese with its English rendering alongside.
type Label struct {
	ZH string `json:"zh"`
	EN string `json:"en"`
}

// OrgUnit is a unit (单位) in the org tree: county, town, department or subordinate unit.
type OrgUnit struct {
	ID       uuid.UUID  `json:"id"`
	Code     string     `json:"code"`
	Name     Label      `json:"name"`
	Kind     UnitKind   `json:"kind"`
	ParentID *uuid.UUID `json:"parent_id,omitempty"`
	Depth    int        `json:"depth"`
	// PartyBody is the unit's own party committee or party group (党委/党组), empty if none.
	PartyBody string `json:"party_body,omitempty"`
	// DisciplineBody is the unit's own discipline commission, group or stationed group
	// (纪委/纪检组/派驻纪检组), empty if none.
	DisciplineBody string `json:"discipline_body,omitempty"`
	// PrimaryFallbackID is the unit whose party body carries the primary responsibility when
	// this unit has none of its own (县直机关工委, seed 003).
	PrimaryFallbackID *uuid.UUID `json:"primary_fallback_id,omitempty"`
	// SupervisoryFallbackID is the unit whose discipline body carries the supervisory
	// responsibility when this unit has none of its own (纪工委, seed 003).
	SupervisoryFallbackID *uuid.UUID `json:"supervisory_fallback_id,omitempty"`
}

// UnitKind says where a unit sits in the county's tree.
type UnitKind string

const (
	UnitCounty      UnitKind = "county"                // 县/区
	UnitTown        UnitKind = "town"                  // 镇/街道
	UnitDepartment  UnitKind = "department"            // 县直部门
	UnitSubordinate UnitKind = "subordinate"           // 下属单位
	UnitOrgansWork  UnitKind = "organs_work_committee" // 县直机关工委
)

// ResponsibilitySubject names who carries one of the two responsibilities for a unit,
// and whether that is the unit itself or a fallback subject.
type ResponsibilitySubject struct {
	UnitID   uuid.UUID `json:"unit_id"`
	UnitName Label     `json:"unit_name"`
	Body     string    `json:"body"`
	Fallback bool      `json:"fallback"`
}

// Person is someone who holds positions over time.
type Person struct {
	ID   uuid.UUID `json:"id"`
	Name string    `json:"name"`
}

// PositionKind is the part a position plays in the two responsibilities.
type PositionKind string

const (
	// PositionFirstResponsible is the party secretary, the first responsible person (第一责任人).
	PositionFirstResponsible PositionKind = "first_responsible"
	// PositionLeadershipMember carries "one post, two duties" (一岗双责) for a portfolio.
	PositionLeadershipMember PositionKind = "leadership_member"
	// PositionDisciplineHead is the discipline secretary or group leader (纪委书记/纪检组长).
	PositionDisciplineHead PositionKind = "discipline_head"
	PositionStaff          PositionKind = "staff"
)

// Position is a person's post in a unit, with tenure dates: accountability tells former
// from current leaders by them.
type Position struct {
	ID        uuid.UUID    `json:"id"`
	PersonID  uuid.UUID    `json:"person_id"`
	Person    string       `json:"person_name"`
	UnitID    uuid.UUID    `json:"unit_id"`
	Title     Label        `json:"title"`
	Kind      PositionKind `json:"kind"`
	Portfolio string       `json:"portfolio,omitempty"`
	StartedOn time.Time    `json:"started_on"`
	EndedOn   *time.Time   `json:"ended_on,omitempty"`
}

// Current reports whether the position is held on the given day.
func (p Position) Current(on time.Time) bool {
	return !p.StartedOn.After(on) && (p.EndedOn == nil || p.EndedOn.After(on))
}
