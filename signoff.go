package liangze

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
)

// LeadershipKind is the kind of leadership responsibility a task item carries.
type LeadershipKind string

const (
	// LeadershipPrincipal is 主要领导责任, the first responsible person's.
	LeadershipPrincipal LeadershipKind = "principal"
	// LeadershipImportant is 重要领导责任, a leadership member's for a portfolio.
	LeadershipImportant LeadershipKind = "important"
)

var leadershipLabels = map[LeadershipKind]Label{
	LeadershipPrincipal: {"主要领导责任", "Principal leadership responsibility"},
	LeadershipImportant: {"重要领导责任", "Important leadership responsibility"},
}

// Label returns the kind's zh-CN and English names.
func (k LeadershipKind) Label() Label { return leadershipLabels[k] }

// TaskItem is one item of a unit's responsibility task list (责任分解任务清单).
type TaskItem struct {
	Content string `json:"content"`
	// LeadLeaderID is the leadership member who leads the item (牵头领导).
	LeadLeaderID uuid.UUID      `json:"lead_leader_id"`
	Kind         LeadershipKind `json:"kind"`
	// LeadDepartments lead the work (牵头部门); AssistingDepartments help (协办部门).
	LeadDepartments      []string `json:"lead_departments"`
	AssistingDepartments []string `json:"assisting_departments"`
	// Deadline is the day the item is due (完成时限), China time.
	Deadline string `json:"deadline"`
	// Standard is the quantified standard the item is judged by (量化标准).
	Standard string `json:"standard"`
}

// Validate checks one item; i is its index, for the field name.
func (t TaskItem) Validate(i int, year int) error {
	field := func(name string) string { return fmt.Sprintf("items[%d].%s", i, name) }
	switch {
	case strings.TrimSpace(t.Content) == "":
		return FieldError(field("content"), "content is required")
	case t.LeadLeaderID == uuid.Nil:
		return FieldError(field("lead_leader_id"), "the leader who leads the item is required")
	case t.Kind.Label() == Label{}:
		return FieldError(field("kind"), "kind must be principal (主要领导责任) or important (重要领导责任)")
	case len(t.LeadDepartments) == 0:
		return FieldError(field("lead_departments"), "at least one lead department is required")
	case strings.TrimSpace(t.Standard) == "":
		return FieldError(field("standard"), "a quantified standard is required")
	}
	d, err := time.ParseInLocation(time.DateOnly, t.Deadline, ChinaTime)
	if err != nil {
		return FieldError(field("deadline"), "deadline must be a date such as %d-12-31", year)
	}
	if d.Year() != year {
		return FieldError(field("deadline"), "deadline must fall in %d", year)
	}
	return nil
}

// Leader is a leadership member in post, as the task list and its sign-off see them.
type Leader struct {
	PersonID uuid.UUID    `json:"person_id"`
	Name     string       `json:"name"`
	Title    Label        `json:"title"`
	Kind     PositionKind `json:"kind"`
}

// MissingLeaders returns the leaders with no item on the list: under "one post, two
// duties" (一岗双责) every leadership member must carry at least one.
func MissingLeaders(items []TaskItem, leaders []Leader) []Leader {
	has := map[uuid.UUID]bool{}
	for _, it := range items {
		has[it.LeadLeaderID] = true
	}
	missing := []Leader{}
	for _, l := range leaders {
		if !has[l.PersonID] {
			missing = append(missing, l)
		}
	}
	return missing
}

// MissingLeadersError refuses a task list that leaves leaders without an item, naming them.
func MissingLeadersError(missing []Leader) error {
	names := make([]string, len(missing))
	for i, l := range missing {
		names[i] = l.Name + "（" + l.Title.ZH + "）"
	}
	return FieldError("items", "一岗双责：%s 尚无分解任务 / every leadership member needs an item; missing: %s",
		strings.Join(names, "、"), strings.Join(names, ", "))
}

// ValidateTaskList checks every item and that each lead leader is one of the unit's leaders.
func ValidateTaskList(items []TaskItem, leaders []Leader, year int) error {
	if len(items) == 0 {
		return FieldError("items", "the task list has no items")
	}
	known := map[uuid.UUID]bool{}
	for _, l := range leaders {
		known[l.PersonID] = true
	}
	for i, it := range items {
		if err := it.Validate(i, year); err != nil {
			return err
		}
		if !known[it.LeadLeaderID] {
			return FieldError(fmt.Sprintf("items[%d].lead_leader_id", i), "person %s is not a leadership member of this unit", it.LeadLeaderID)
		}
	}
	return nil
}

// Document is what a unit signs in its year: the task list, the responsibility letter with
// the upper level, or the year-end summary.
type Document string

const (
	DocTaskList Document = "task_list" // 责任分解任务清单
	DocLetter   Document = "letter"    // 党风廉政建设责任书, signed with the upper level
	DocSummary  Document = "summary"   // 年终总结
)

var documentLabels = map[Document]Label{
	DocTaskList: {"责任分解任务清单", "Responsibility task list"},
	DocLetter:   {"党风廉政建设责任书", "Responsibility letter"},
	DocSummary:  {"党风廉政建设年终总结", "Year-end summary"},
}

// Label returns the document's zh-CN and English names.
func (d Document) Label() Label { return documentLabels[d.OrTaskList()] }

// OrTaskList returns d, or the task list for the empty document of earlier records.
func (d Document) OrTaskList() Document {
	if d == "" {
		return DocTaskList
	}
	return d
}

// Valid reports whether d is a known document.
func (d Document) Valid() bool { _, ok := documentLabels[d]; return ok }

// Parts returns the document's two signatures, in order: the unit's first responsible
// person, then the discipline body — or, on a letter, the upper level's secretary.
func (d Document) Parts() (first, second SignedPart) {
	if d == DocLetter {
		return PartPrimary, PartIssuer
	}
	return PartPrimary, PartSupervisory
}

// SignoffState is where a unit's task list stands in the year's sign-off.
type SignoffState string

const (
	SignoffDrafting           SignoffState = "drafting"            // 分解起草中
	SignoffAwaitingHead       SignoffState = "awaiting_head"       // 待第一责任人签字
	SignoffAwaitingDiscipline SignoffState = "awaiting_discipline" // 待纪检监督签字
	SignoffAwaitingIssuer     SignoffState = "awaiting_issuer"     // 待上级党委签字
	SignoffSigned             SignoffState = "signed"              // 已签字背书
)

var signoffStateLabels = map[SignoffState]Label{
	SignoffDrafting: {"分解起草中", "Drafting"}, SignoffAwaitingHead: {"待第一责任人签字", "Awaiting the first responsible person"},
	SignoffAwaitingDiscipline: {"待纪检监督签字", "Awaiting the discipline body"},
	SignoffAwaitingIssuer:     {"待上级党委签字", "Awaiting the upper party committee"}, SignoffSigned: {"已签字背书", "Signed"},
}

// Label returns the state's zh-CN and English names.
func (s SignoffState) Label() Label { return signoffStateLabels[s] }

// Valid reports whether s is a known state.
func (s SignoffState) Valid() bool { _, ok := signoffStateLabels[s]; return ok }

// SignedPart is which part of a record a signature covers.
type SignedPart string

const (
	// PartPrimary is the first responsible person's review and signature (主体责任).
	PartPrimary SignedPart = "primary"
	// PartSupervisory is the discipline body's signature for supervision (监督责任).
	PartSupervisory SignedPart = "supervisory"
	// PartIssuer is the upper party committee's secretary's signature of a letter (责任书).
	PartIssuer SignedPart = "issuer"
)

// Label returns the part's zh-CN and English names.
func (p SignedPart) Label() Label {
	switch p {
	case PartSupervisory:
		return Label{"监督责任签字", "Supervisory signature"}
	case PartIssuer:
		return Label{"上级党委签字", "Upper party committee's signature"}
	}
	return Label{"主体责任签字", "Primary signature"}
}

// Awaiting is the state in which part is signed.
func (p SignedPart) Awaiting() SignoffState {
	switch p {
	case PartSupervisory:
		return SignoffAwaitingDiscipline
	case PartIssuer:
		return SignoffAwaitingIssuer
	}
	return SignoffAwaitingHead
}

// SignedContent is exactly what a signature covers: one version of a task list (items), or
// of a letter or summary (document and body).
type SignedContent struct {
	UnitID   uuid.UUID  `json:"unit_id"`
	Year     int        `json:"year"`
	Version  int        `json:"version"`
	Document Document   `json:"document,omitempty"`
	Items    []TaskItem `json:"items,omitempty"`
	Body     string     `json:"body,omitempty"`
}

// Canonical returns the bytes that are signed and their SHA-256 in hex.
func (c SignedContent) Canonical() (string, string, error) {
	b, err := json.Marshal(c)
	if err != nil {
		return "", "", fmt.Errorf("encode signed content: %w", err)
	}
	sum := sha256.Sum256(b)
	return string(b), hex.EncodeToString(sum[:]), nil
}

// SignedRecord is an immutable signature (签字背书记录): who signed what, when, with which
// opinion. The database refuses to change or delete it and checks its hash.
type SignedRecord struct {
	ID          uuid.UUID  `json:"id"`
	UnitID      uuid.UUID  `json:"unit_id"`
	UnitName    Label      `json:"unit_name"`
	Year        int        `json:"year"`
	Document    Document   `json:"document"`
	Version     int        `json:"version"`
	Part        SignedPart `json:"part"`
	PartLabel   Label      `json:"part_label"`
	SignerID    uuid.UUID  `json:"signer_person_id"`
	SignerName  string     `json:"signer_name"`
	SignerTitle Label      `json:"signer_title"`
	Opinion     string     `json:"opinion"`
	SignedAt    time.Time  `json:"signed_at"`
	// Content is the signed JSON exactly as hashed; ContentHash its SHA-256.
	Content     json.RawMessage `json:"content"`
	ContentHash string          `json:"content_hash"`
}

// Signoff is a unit's year of sign-off as the API shows it.
type Signoff struct {
	ID          uuid.UUID      `json:"id"`
	WorkflowID  string         `json:"workflow_id"`
	UnitID      uuid.UUID      `json:"unit_id"`
	UnitName    Label          `json:"unit_name"`
	Year        int            `json:"year"`
	Document    Document       `json:"document"`
	DocLabel    Label          `json:"document_label"`
	Body        string         `json:"body"`
	State       SignoffState   `json:"state"`
	StateLabel  Label          `json:"state_label"`
	Version     int            `json:"version"`
	Items       []TaskItem     `json:"items"`
	Leaders     []Leader       `json:"leaders"`
	Missing     []Leader       `json:"missing_leaders"`
	DueAt       *time.Time     `json:"due_at,omitempty"`
	DueRule     Label          `json:"due_rule"`
	Overdue     bool           `json:"overdue"`
	Escalation  *uuid.UUID     `json:"escalation_id,omitempty"`
	Records     []SignedRecord `json:"signed_records,omitempty"`
	LastChanged time.Time      `json:"updated_at"`
}
