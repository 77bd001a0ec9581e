package activities

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"liangze"
	"liangze/store"
)

// SignoffParams names a change to a unit's annual sign-off.
type SignoffParams = store.SignoffChange

// OpenSignoffParams opens a unit's task list for a year.
type OpenSignoffParams struct {
	Change     SignoffParams
	WorkflowID string
	UnitID     uuid.UUID
	Year       int
	Document   liangze.Document // the task list when empty
	Due        liangze.Deadline
}

// OpenSignoff stores the unit's empty document (task list, letter or summary) and asks its
// clerks and leaders to draft it.
func (a *Activities) OpenSignoff(ctx context.Context, p OpenSignoffParams) error {
	if err := a.Store.CreateSignoff(ctx, p.Change, p.WorkflowID, p.UnitID, p.Year, p.Document, p.Due); err != nil {
		return nonRetryableIfDomain(err)
	}
	doc := p.Document.Label()
	return a.remindSignoff(ctx, p.Change, p.UnitID, "signoff_open", &p.Due.At, liangze.Label{
		ZH: fmt.Sprintf("%d年度%s待填报", p.Year, doc.ZH), EN: fmt.Sprintf("%d %s to draft", p.Year, doc.EN)})
}

// SaveBodyParams is the draft text of a letter or summary.
type SaveBodyParams struct {
	Change SignoffParams
	Body   string
}

// SaveBody stores the draft text.
func (a *Activities) SaveBody(ctx context.Context, p SaveBodyParams) error {
	return nonRetryableIfDomain(a.Store.SaveBody(ctx, p.Change, p.Body))
}

// SaveTaskListParams is the clerk's draft.
type SaveTaskListParams struct {
	Change SignoffParams
	Items  []liangze.TaskItem
}

// SaveTaskList stores the draft.
func (a *Activities) SaveTaskList(ctx context.Context, p SaveTaskListParams) error {
	return nonRetryableIfDomain(a.Store.SaveTaskList(ctx, p.Change, p.Items))
}

// SubmitTaskList sends the list for signature and tells the unit.
func (a *Activities) SubmitTaskList(ctx context.Context, p SignoffParams) error {
	if err := a.Store.SubmitTaskList(ctx, p); err != nil {
		return nonRetryableIfDomain(err)
	}
	return a.tellSignoff(ctx, p, "signoff_to_sign", func(doc liangze.Label) liangze.Label {
		return liangze.Label{ZH: doc.ZH + "待第一责任人审核签字", EN: doc.EN + " awaits the first responsible person's signature"}
	})
}

// SignTaskListParams is one signature.
type SignTaskListParams struct {
	Change SignoffParams
	Sign   store.SignParams
}

// SignTaskList stores the signed record and tells the unit what comes next.
func (a *Activities) SignTaskList(ctx context.Context, p SignTaskListParams) error {
	if err := a.Store.SignTaskList(ctx, p.Change, p.Sign); err != nil {
		return nonRetryableIfDomain(err)
	}
	return a.tellSignoff(ctx, p.Change, "signoff_signed_"+string(p.Sign.Part), func(doc liangze.Label) liangze.Label {
		return liangze.Label{ZH: doc.ZH + "：" + p.Sign.Part.Label().ZH + "已完成", EN: doc.EN + ": " + p.Sign.Part.Label().EN + " done"}
	})
}

// ReturnTaskListParams returns a submitted list with a reason.
type ReturnTaskListParams struct {
	Change SignoffParams
	Reason string
}

// ReturnTaskList sends the list back to drafting and tells the unit why.
func (a *Activities) ReturnTaskList(ctx context.Context, p ReturnTaskListParams) error {
	if err := a.Store.ReturnTaskList(ctx, p.Change, p.Reason); err != nil {
		return nonRetryableIfDomain(err)
	}
	return a.tellSignoff(ctx, p.Change, "signoff_returned", func(doc liangze.Label) liangze.Label {
		return liangze.Label{ZH: doc.ZH + "被退回：" + p.Reason, EN: doc.EN + " returned: " + p.Reason}
	})
}

// ReviseTaskList opens a new version of a signed list.
func (a *Activities) ReviseTaskList(ctx context.Context, p ReturnTaskListParams) error {
	return nonRetryableIfDomain(a.Store.ReviseTaskList(ctx, p.Change, p.Reason))
}

// SignoffDueParams is a reminder before a document's deadline.
type SignoffDueParams struct {
	Change   SignoffParams
	UnitID   uuid.UUID
	DueAt    time.Time
	Document liangze.Document // the task list when empty
}

// RemindSignoffDue reminds the unit that a document must be signed by the deadline.
func (a *Activities) RemindSignoffDue(ctx context.Context, p SignoffDueParams) error {
	at := p.DueAt.In(liangze.ChinaTime).Format("2006-01-02 15:04")
	doc := p.Document.Label()
	return a.remindSignoff(ctx, p.Change, p.UnitID, "signoff_due_soon", &p.DueAt, liangze.Label{
		ZH: doc.ZH + "须于" + at + "前完成签字", EN: doc.EN + " must be signed by " + at})
}

// FlagSignoffOverdue records that the deadline passed and the escalation it started.
func (a *Activities) FlagSignoffOverdue(ctx context.Context, p SignoffParams, escalation uuid.UUID) error {
	return nonRetryableIfDomain(a.Store.FlagSignoffOverdue(ctx, p, escalation))
}

// tellSignoff tells the unit of a change to one of its documents, titled from its label.
func (a *Activities) tellSignoff(ctx context.Context, c SignoffParams, kind string, title func(doc liangze.Label) liangze.Label) error {
	so, err := a.Store.Signoff(ctx, c.SignoffID)
	if err != nil {
		return err
	}
	return a.remindSignoff(ctx, c, so.UnitID, kind, so.DueAt, title(so.DocLabel))
}

func (a *Activities) remindSignoff(ctx context.Context, c SignoffParams, unit uuid.UUID, kind string, due *time.Time, title liangze.Label) error {
	users, err := a.unitStaff(ctx, unit)
	if err != nil {
		return err
	}
	return a.deliver(ctx, store.NewReminder{DedupeKey: c.Key + "/" + kind, Kind: kind, Title: title,
		Body: "signoff " + c.SignoffID.String(), DueAt: due}, users)
}

// unitStaff returns the unit's own leaders and clerks: those who fill and sign its forms.
func (a *Activities) unitStaff(ctx context.Context, unit uuid.UUID) ([]uuid.UUID, error) {
	var users []uuid.UUID
	for _, role := range []liangze.Role{liangze.RoleUnitLeader, liangze.RoleClerk} {
		us, err := a.Store.UnitUsers(ctx, unit, role, false)
		if err != nil {
			return nil, err
		}
		users = appendNew(users, us...)
	}
	return users, nil
}

// ParentOf returns the unit's parent, nil at the top of the tree.
func (a *Activities) ParentOf(ctx context.Context, unit uuid.UUID) (*uuid.UUID, error) {
	u, err := a.Store.Unit(ctx, unit)
	if err != nil {
		return nil, nonRetryableIfDomain(err)
	}
	return u.ParentID, nil
}
