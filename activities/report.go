package activities

import (
	"context"
	"time"

	"github.com/google/uuid"

	"liangze"
	"liangze/store"
)

// ReportParams names a change to a report.
type ReportParams = store.ReportChange

// CreateReportParams creates a unit's report for a quarter.
type CreateReportParams struct {
	Change     ReportParams
	WorkflowID string
	UnitID     uuid.UUID
	Quarter    liangze.Quarter
	Due        liangze.Deadline
}

// CreateReport pre-fills the unit's form from the quarter's decided cases, stores the
// report and tells the unit's clerks and leaders.
func (a *Activities) CreateReport(ctx context.Context, p CreateReportParams) error {
	pre, err := a.Store.ReportPrefill(ctx, p.UnitID, p.Quarter)
	if err != nil {
		return err
	}
	if err := a.Store.CreateReport(ctx, p.Change, p.WorkflowID, p.UnitID, p.Quarter, pre, p.Due); err != nil {
		return nonRetryableIfDomain(err)
	}
	return a.remindReport(ctx, p.Change, p.UnitID, "report_open", &p.Due.At, liangze.Label{
		ZH: p.Quarter.String() + " 责任追究季报表已预填，请核对报送", EN: p.Quarter.String() + " accountability report pre-filled: check and submit"})
}

// EditReportParams are a clerk's corrections.
type EditReportParams struct {
	Change ReportParams
	Form   liangze.ReportForm
	Notes  string
}

// EditReport stores corrections and notes.
func (a *Activities) EditReport(ctx context.Context, p EditReportParams) error {
	return nonRetryableIfDomain(a.Store.EditReport(ctx, p.Change, p.Form, p.Notes))
}

// SubmitReport stores the submission and tells the upper commission's supervisors.
func (a *Activities) SubmitReport(ctx context.Context, p ReportParams) error {
	if err := a.Store.SubmitReport(ctx, p); err != nil {
		return nonRetryableIfDomain(err)
	}
	r, err := a.Store.Report(ctx, p.ReportID)
	if err != nil {
		return err
	}
	sups, err := a.Store.UnitUsers(ctx, r.UnitID, liangze.RoleSupervisor, true)
	if err != nil {
		return err
	}
	return a.remindUsers(ctx, p, "report_submitted", nil, liangze.Label{ZH: r.UnitName.ZH + r.Quarter.String() + " 季报待审核",
		EN: r.UnitName.EN + " " + r.Quarter.String() + " report to review"}, sups)
}

// ReviewReportParams is the upper commission's review.
type ReviewReportParams struct {
	Change  ReportParams
	Accept  bool
	Comment string
}

// ReviewReport stores the review; a returned report goes back to the unit with the reason.
func (a *Activities) ReviewReport(ctx context.Context, p ReviewReportParams) error {
	if err := a.Store.ReviewReport(ctx, p.Change, p.Accept, p.Comment); err != nil {
		return nonRetryableIfDomain(err)
	}
	if p.Accept {
		return nil
	}
	r, err := a.Store.Report(ctx, p.Change.ReportID)
	if err != nil {
		return err
	}
	return a.remindReport(ctx, p.Change, r.UnitID, "report_returned", r.DueAt, liangze.Label{
		ZH: "季报被退回修改：" + p.Comment, EN: "Report returned for correction: " + p.Comment})
}

// ReportDueParams is a reminder before a report's deadline.
type ReportDueParams struct {
	Change ReportParams
	UnitID uuid.UUID
	DueAt  time.Time
}

// RemindReportDue reminds the unit that its report is due.
func (a *Activities) RemindReportDue(ctx context.Context, p ReportDueParams) error {
	at := p.DueAt.In(liangze.ChinaTime).Format("2006-01-02 15:04")
	return a.remindReport(ctx, p.Change, p.UnitID, "report_due_soon", &p.DueAt, liangze.Label{
		ZH: "责任追究季报将于" + at + "截止报送", EN: "Accountability report due " + at})
}

// FlagReportOverdue records that the deadline passed and the escalation it started.
func (a *Activities) FlagReportOverdue(ctx context.Context, p ReportParams, escalation uuid.UUID) error {
	return nonRetryableIfDomain(a.Store.FlagReportOverdue(ctx, p, escalation))
}

func (a *Activities) remindReport(ctx context.Context, c ReportParams, unit uuid.UUID, kind string, due *time.Time, title liangze.Label) error {
	users, err := a.unitStaff(ctx, unit)
	if err != nil {
		return err
	}
	return a.remindUsers(ctx, c, kind, due, title, users)
}

func (a *Activities) remindUsers(ctx context.Context, c ReportParams, kind string, due *time.Time, title liangze.Label, users []uuid.UUID) error {
	return a.deliver(ctx, store.NewReminder{DedupeKey: c.Key + "/" + kind, Kind: kind, Title: title,
		Body: "report " + c.ReportID.String(), DueAt: due}, users)
}

// SubtreeUnits returns the ids of the units under root, root included.
func (a *Activities) SubtreeUnits(ctx context.Context, root uuid.UUID) ([]uuid.UUID, error) {
	units, err := a.Store.Units(ctx, root)
	if err != nil {
		return nil, nonRetryableIfDomain(err)
	}
	ids := make([]uuid.UUID, len(units))
	for i, u := range units {
		ids[i] = u.ID
	}
	return ids, nil
}
