package liangze

import "github.com/google/uuid"

// Role is a system role; every role is scoped to an org subtree.
type Role string

const (
	RoleInspector  Role = "inspector"   // 纪检监察干部: opens cases, proposes escalation steps
	RoleSupervisor Role = "supervisor"  // 纪委常委/书记: approves steps and decisions
	RoleUnitLeader Role = "unit_leader" // 单位负责人: signs, answers, submits for own unit
	RoleClerk      Role = "clerk"       // 填报人员: fills forms for own unit
	RoleAdmin      Role = "admin"       // 系统管理员
)

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	switch r {
	case RoleInspector, RoleSupervisor, RoleUnitLeader, RoleClerk, RoleAdmin:
		return true
	}
	return false
}

// User is someone who signs in, with one role over one org subtree.
type User struct {
	ID          uuid.UUID  `json:"id"`
	Username    string     `json:"username"`
	DisplayName string     `json:"display_name"`
	Role        Role       `json:"role"`
	ScopeUnitID uuid.UUID  `json:"scope_unit_id"`
	PersonID    *uuid.UUID `json:"person_id,omitempty"`
}
