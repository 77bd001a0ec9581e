package activities

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"

	"liangze"
	"liangze/store"
)

// CaseParams names a change to a case: its exactly-once key, the case, actor and time.
type CaseParams = store.CaseChange

// OpenCase stores a new case and asks the supervisors to decide on filing.
func (a *Activities) OpenCase(ctx context.Context, c CaseParams, n store.NewCase) error {
	if err := a.Store.OpenCase(ctx, c, n); err != nil {
		return nonRetryableIfDomain(err)
	}
	sups, err := a.Store.UnitUsers(ctx, n.UnitID, liangze.RoleSupervisor, true)
	if err != nil {
		return err
	}
	return a.remindCase(ctx, c, "filing_needed", liangze.Label{ZH: "待审批立案：" + n.Summary, EN: "Filing decision needed"}, nil, sups)
}

// StageParams moves a case to a stage with its deadline.
type StageParams struct {
	Change CaseParams
	Stage  liangze.CaseStage
	Due    *liangze.Deadline
}

// SetCaseStage stores the case's stage and deadline.
func (a *Activities) SetCaseStage(ctx context.Context, p StageParams) error {
	return nonRetryableIfDomain(a.Store.SetCaseStage(ctx, p.Change, p.Stage, p.Due))
}

// ExtendParams is an approved extension of the current stage.
type ExtendParams struct {
	Change CaseParams
	Due    liangze.Deadline
	Reason string
}

// ExtendCaseStage stores the extended deadline.
func (a *Activities) ExtendCaseStage(ctx context.Context, p ExtendParams) error {
	return nonRetryableIfDomain(a.Store.ExtendCaseStage(ctx, p.Change, p.Due, p.Reason))
}

// CaseReminderParams reminds the case's inspector of a stage deadline.
type CaseReminderParams struct {
	Change    CaseParams
	Stage     liangze.CaseStage
	DueAt     time.Time
	Overdue   bool
	Inspector uuid.UUID
}

// RemindCaseDeadline reminds the inspector of a coming stage deadline, or flags the stage
// overdue and tells the inspector and the supervisors.
func (a *Activities) RemindCaseDeadline(ctx context.Context, p CaseReminderParams) error {
	due := p.DueAt.In(liangze.ChinaTime).Format("2006-01-02 15:04")
	users := []uuid.UUID{p.Inspector}
	title := liangze.Label{ZH: fmt.Sprintf("%s将于%s到期", p.Stage.Label().ZH, due), EN: fmt.Sprintf("%s due %s", p.Stage.Label().EN, due)}
	kind := "case_due_soon"
	if p.Overdue {
		if err := a.Store.FlagCaseOverdue(ctx, p.Change, p.Stage); err != nil {
			return nonRetryableIfDomain(err)
		}
		c, err := a.Store.Case(ctx, p.Change.CaseID)
		if err != nil {
			return err
		}
		sups, err := a.Store.UnitUsers(ctx, c.UnitID, liangze.RoleSupervisor, true)
		if err != nil {
			return err
		}
		users = appendNew(users, sups...)
		kind = "case_overdue"
		title = liangze.Label{ZH: fmt.Sprintf("%s已逾期（期限%s）", p.Stage.Label().ZH, due), EN: fmt.Sprintf("%s overdue (due %s)", p.Stage.Label().EN, due)}
	}
	return a.remindCase(ctx, p.Change, kind, title, &p.DueAt, users)
}

// FilingParams is the supervisor's filing decision.
type FilingParams struct {
	Change  CaseParams
	File    bool
	Comment string
}

// DecideFiling stores the filing decision.
func (a *Activities) DecideFiling(ctx context.Context, p FilingParams) error {
	return nonRetryableIfDomain(a.Store.DecideFiling(ctx, p.Change, p.File, p.Comment))
}

// ViolationParams is the violation investigation's finding.
type ViolationParams struct {
	Change      CaseParams
	Established bool
	Finding     string
	PersonID    uuid.UUID
}

// RecordViolationFinding stores the violation finding.
func (a *Activities) RecordViolationFinding(ctx context.Context, p ViolationParams) error {
	return nonRetryableIfDomain(a.Store.RecordViolationFinding(ctx, p.Change, p.Established, p.Finding, p.PersonID))
}

// LevelParams opens one level of the responsibility investigation.
type LevelParams struct {
	Change        CaseParams
	Level         int
	UnitID        uuid.UUID
	WorkflowID    string
	ViolationDate time.Time
}

// OpenCaseLevel gathers the level's evidence — responsibility subjects, the leaders in post
// on the day of the violation, signed records — stores it and returns it.
func (a *Activities) OpenCaseLevel(ctx context.Context, p LevelParams) (liangze.LevelEvidence, error) {
	ev, err := a.Store.LevelEvidence(ctx, p.UnitID, p.ViolationDate)
	if err != nil {
		return ev, nonRetryableIfDomain(err)
	}
	return ev, nonRetryableIfDomain(a.Store.OpenCaseLevel(ctx, p.Change, p.Level, p.UnitID, p.WorkflowID, ev))
}

// LevelFindingParams is a level's finding.
type LevelFindingParams struct {
	Change  CaseParams
	Level   int
	Finding store.LevelFinding
}

// RecordLevelFinding stores a level's finding.
func (a *Activities) RecordLevelFinding(ctx context.Context, p LevelFindingParams) error {
	return nonRetryableIfDomain(a.Store.RecordLevelFinding(ctx, p.Change, p.Level, p.Finding))
}

// CaseDecisionParams is the approved decision.
type CaseDecisionParams struct {
	Change     CaseParams
	ProposedBy uuid.UUID
	Forms      []liangze.DecisionForm
}

// DecideCase stores the decision, closing the case, and tells the proposer.
func (a *Activities) DecideCase(ctx context.Context, p CaseDecisionParams) error {
	if err := a.Store.DecideCase(ctx, p.Change, p.ProposedBy, p.Forms); err != nil {
		return nonRetryableIfDomain(err)
	}
	return a.remindCase(ctx, p.Change, "case_decided", liangze.Label{ZH: "处理决定已批准，案件办结", EN: "Decision approved; case closed"},
		nil, []uuid.UUID{p.ProposedBy})
}

func (a *Activities) remindCase(ctx context.Context, c CaseParams, kind string, title liangze.Label, due *time.Time, users []uuid.UUID) error {
	return a.deliver(ctx, store.NewReminder{DedupeKey: c.Key + "/" + kind, Kind: kind, Title: title,
		Body: "case " + c.CaseID.String(), DueAt: due}, users)
}

// deliver stores a reminder for the users and delivers the ones newly stored.
func (a *Activities) deliver(ctx context.Context, r store.NewReminder, users []uuid.UUID) error {
	if len(users) == 0 {
		return nil
	}
	stored, err := a.Store.Remind(ctx, r, users)
	if err != nil {
		return err
	}
	for _, m := range stored {
		if err := a.Notifier.Notify(ctx, m); err != nil {
			return fmt.Errorf("deliver reminder %d: %w", m.ID, err)
		}
	}
	return nil
}
