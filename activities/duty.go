package activities

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"

	"liangze"
	"liangze/store"
)

// DutyRule sets one kind of duty's deadline: by a fixed instant (e.g. the end of 31
// January) but never sooner than Grace after the year is opened.
type DutyRule struct {
	Kind  liangze.DutyKind
	By    *time.Time
	Grace liangze.Period
}

// OpenDutiesParams opens the dated duties of a unit's year.
type OpenDutiesParams struct {
	Change    SignoffParams
	UnitID    uuid.UUID
	Year      int
	Rules     []DutyRule
	Reminders []liangze.Period
}

// DutyDue is a created duty's deadline and reminder times, for the workflow's timers.
type DutyDue struct {
	ID       uuid.UUID
	Kind     liangze.DutyKind
	DueAt    time.Time
	RemindAt []time.Time
}

// OpenDuties computes each duty's deadline on the calendar, stores the duties (an integrity
// talk per person the head must talk with) and tells the unit.
func (a *Activities) OpenDuties(ctx context.Context, p OpenDutiesParams) ([]DutyDue, error) {
	var duties []store.NewDuty
	var dues []DutyDue
	for _, r := range p.Rules {
		d, err := a.ComputeDeadline(ctx, DeadlineParams{Start: p.Change.At, Period: r.Grace, Reminders: p.Reminders, By: r.By})
		if err != nil {
			return nil, err
		}
		subjects := []store.TalkSubject{{}}
		if r.Kind == liangze.DutyIntegrityTalk {
			if subjects, err = a.Store.TalkSubjects(ctx, p.UnitID, p.Change.At); err != nil {
				return nil, err
			}
		}
		for _, s := range subjects {
			nd := store.NewDuty{Kind: r.Kind, Due: d.Deadline}
			if s.PersonID != uuid.Nil {
				nd.Subject, nd.SubjectUnit = &s.PersonID, &s.UnitID
			}
			duties = append(duties, nd)
			dues = append(dues, DutyDue{ID: liangze.DutyID(p.Change.SignoffID, r.Kind, nd.Subject), Kind: r.Kind,
				DueAt: d.Deadline.At, RemindAt: d.RemindAt})
		}
	}
	if len(duties) == 0 {
		return dues, nil // no duty configured: nothing to store or announce
	}
	if err := a.Store.OpenDuties(ctx, p.Change, p.UnitID, p.Year, duties); err != nil {
		return nil, nonRetryableIfDomain(err)
	}
	return dues, a.remindSignoff(ctx, p.Change, p.UnitID, "duties_open", nil, liangze.Label{
		ZH: fmt.Sprintf("%d年度党风廉政建设责任事项已列出（%d项），请按期完成", p.Year, len(duties)),
		EN: fmt.Sprintf("%d: %d dated duties listed, see the deadlines", p.Year, len(duties))})
}

// CompleteDutyParams records a duty done.
type CompleteDutyParams struct {
	Change SignoffParams
	DutyID uuid.UUID
	DoneOn string
	Note   string
}

// CompleteDuty stores the duty as done.
func (a *Activities) CompleteDuty(ctx context.Context, p CompleteDutyParams) error {
	return nonRetryableIfDomain(a.Store.CompleteDuty(ctx, p.Change, p.DutyID, p.DoneOn, p.Note))
}

// DutiesDueParams names duties sharing a deadline.
type DutiesDueParams struct {
	Change SignoffParams
	UnitID uuid.UUID
	DueAt  time.Time
	IDs    []uuid.UUID
}

// RemindDuties reminds the unit of those duties still pending before their deadline.
func (a *Activities) RemindDuties(ctx context.Context, p DutiesDueParams) error {
	pending, err := a.Store.Duties(ctx, p.Change.SignoffID, p.IDs, true)
	if err != nil || len(pending) == 0 {
		return err
	}
	at := p.DueAt.In(liangze.ChinaTime).Format("2006-01-02 15:04")
	return a.remindSignoff(ctx, p.Change, p.UnitID, "duties_due_soon", &p.DueAt, liangze.Label{
		ZH: at + "前须完成：" + dutyList(pending, func(l liangze.Label) string { return l.ZH }, "、"),
		EN: "Due " + at + ": " + dutyList(pending, func(l liangze.Label) string { return l.EN }, "; ")})
}

// FlagDutiesOverdueParams marks duties missed at their deadline.
type FlagDutiesOverdueParams struct {
	Change       SignoffParams
	IDs          []uuid.UUID
	EscalationID uuid.UUID
}

// FlagDutiesOverdue records the missed duties and the escalation they opened.
func (a *Activities) FlagDutiesOverdue(ctx context.Context, p FlagDutiesOverdueParams) error {
	return nonRetryableIfDomain(a.Store.FlagDutiesOverdue(ctx, p.Change, p.IDs, p.EscalationID))
}

// PendingDuties describes the duties among ids still pending, for an escalation's problem.
func (a *Activities) PendingDuties(ctx context.Context, signoff uuid.UUID, ids []uuid.UUID) (liangze.Label, error) {
	pending, err := a.Store.Duties(ctx, signoff, ids, true)
	if err != nil {
		return liangze.Label{}, err
	}
	return liangze.Label{ZH: dutyList(pending, func(l liangze.Label) string { return l.ZH }, "、"),
		EN: dutyList(pending, func(l liangze.Label) string { return l.EN }, "; ")}, nil
}

func dutyList(ds []liangze.Duty, lang func(liangze.Label) string, sep string) string {
	parts := make([]string, len(ds))
	for i, d := range ds {
		parts[i] = lang(d.KindLabel)
		if d.SubjectName != "" {
			parts[i] += "（" + d.SubjectName + "）"
		}
	}
	return strings.Join(parts, sep)
}
