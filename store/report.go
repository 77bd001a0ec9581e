package store

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"liangze"
)

const reportEntity = "report"

func formOf(st CaseStats) liangze.ReportForm {
	return liangze.ReportForm{Cases: st.Cases, PersonsHeldAccountable: st.PersonsHeldAccountable, ByForm: st.ByForm,
		ByLevel: st.ByLevel, TwoInvestigations: st.TwoInvestigations, TracedUpward: st.TracedUpward, TypicalCases: []uuid.UUID{}}
}

// typicalCandidates bounds the typical-case candidates put on a pre-filled form.
const typicalCandidates = 20

// ReportPrefill fills a unit's form from the accountability decisions of the quarter in its
// subtree, with the most recently decided cases (at most 20) as typical-case candidates.
func (s *Store) ReportPrefill(ctx context.Context, unit uuid.UUID, q liangze.Quarter) (liangze.ReportForm, error) {
	st, err := s.CaseStats(ctx, unit, q.Start(), q.End())
	if err != nil {
		return liangze.ReportForm{}, err
	}
	f := formOf(st)
	rows, err := s.pool.Query(ctx, `select c.id from cases c join org_units u on u.id = c.unit_id
		where c.outcome = 'decided' and c.closed_at >= $2 and c.closed_at < $3
		  and u.path like (select path from org_units where id = $1) || '%'
		order by c.closed_at desc limit $4`, unit, q.Start(), q.End(), typicalCandidates)
	if err != nil {
		return f, fmt.Errorf("typical case candidates: %w", err)
	}
	f.TypicalCases, err = pgx.CollectRows(rows, pgx.RowTo[uuid.UUID])
	return f, err
}

// ReportChange is one change to a report; Key makes it happen once.
type ReportChange struct {
	Key      string
	ReportID uuid.UUID
	Actor    *uuid.UUID
	At       time.Time
}

func (c ReportChange) event(action string, detail map[string]any) Event {
	return Event{Key: c.Key, ActorID: c.Actor, Entity: reportEntity, EntityID: c.ReportID.String(), Action: action, Detail: detail}
}

// CreateReport stores a unit's report for a quarter with its pre-filled form and deadline.
func (s *Store) CreateReport(ctx context.Context, c ReportChange, workflowID string, unit uuid.UUID, q liangze.Quarter,
	prefill liangze.ReportForm, due liangze.Deadline) error {
	ev := c.event("create_report", map[string]any{"unit_id": unit, "period": q.String(), "due": due})
	_, err := s.applyOnce(ctx, ev, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `insert into quarterly_reports (id, workflow_id, unit_id, year, quarter, prefill, form, due_at,
			due_rule_zh, due_rule_en, created_at) values ($1, $2, $3, $4, $5, $6, $6, $7, $8, $9, $10)`,
			c.ReportID, workflowID, unit, q.Year, q.Quarter, prefill, due.At, due.Rule.ZH, due.Rule.EN, c.At)
		return err
	})
	return err
}

// EditReport stores the clerk's corrections and notes.
func (s *Store) EditReport(ctx context.Context, c ReportChange, form liangze.ReportForm, notes string) error {
	return s.updateReport(ctx, c.event("edit_report", map[string]any{"form": form, "notes": notes}),
		`update quarterly_reports set form = $2, notes = $3 where id = $1`, c.ReportID, form, notes)
}

// SubmitReport records the unit leader's submission to the upper commission.
func (s *Store) SubmitReport(ctx context.Context, c ReportChange) error {
	return s.updateReport(ctx, c.event("submit_report", nil), `update quarterly_reports set state = 'submitted',
		submitted_by = $2, submitted_at = $3 where id = $1`, c.ReportID, c.Actor, c.At)
}

// ReviewReport records the upper commission's acceptance, or its return for correction.
func (s *Store) ReviewReport(ctx context.Context, c ReportChange, accept bool, comment string) error {
	state, action := liangze.ReportAccepted, "accept_report"
	if !accept {
		state, action = liangze.ReportReturned, "return_report"
	}
	return s.updateReport(ctx, c.event(action, map[string]any{"comment": comment}), `update quarterly_reports set state = $2,
		reviewed_by = $3, reviewed_at = $4, review_comment = $5 where id = $1`, c.ReportID, state, c.Actor, c.At, comment)
}

// FlagReportOverdue records a missed deadline and the escalation it started.
func (s *Store) FlagReportOverdue(ctx context.Context, c ReportChange, escalation uuid.UUID) error {
	return s.updateReport(ctx, c.event("report_overdue", map[string]any{"escalation_id": escalation}),
		`update quarterly_reports set overdue = true, escalation_id = $2 where id = $1`, c.ReportID, escalation)
}

func (s *Store) updateReport(ctx context.Context, ev Event, sql string, args ...any) error {
	_, err := s.applyOnce(ctx, ev, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, sql, args...)
		if err == nil && tag.RowsAffected() != 1 {
			return liangze.Errorf(liangze.ENOTFOUND, "report %v not found", args[0])
		}
		return err
	})
	return err
}

const reportColumns = `r.id, r.workflow_id, r.unit_id, u.name_zh, u.name_en, r.year, r.quarter, r.state, r.prefill, r.form,
	r.notes, r.due_at, r.due_rule_zh, r.due_rule_en, r.overdue, r.escalation_id, r.submitted_by, r.submitted_at,
	r.reviewed_by, r.reviewed_at, r.review_comment`

const reportFrom = ` from quarterly_reports r join org_units u on u.id = r.unit_id`

func scanReport(row pgx.CollectableRow) (liangze.Report, error) {
	var r liangze.Report
	err := row.Scan(&r.ID, &r.WorkflowID, &r.UnitID, &r.UnitName.ZH, &r.UnitName.EN, &r.Quarter.Year, &r.Quarter.Quarter,
		&r.State, &r.Prefill, &r.Form, &r.Notes, &r.DueAt, &r.DueRule.ZH, &r.DueRule.EN, &r.Overdue, &r.EscalationID,
		&r.SubmittedBy, &r.SubmittedAt, &r.ReviewedBy, &r.ReviewedAt, &r.ReviewComment)
	r.StateLabel = r.State.Label()
	return r, err
}

// Report returns one report.
func (s *Store) Report(ctx context.Context, id uuid.UUID) (liangze.Report, error) {
	rows, _ := s.pool.Query(ctx, `select `+reportColumns+reportFrom+` where r.id = $1`, id)
	r, err := pgx.CollectExactlyOneRow(rows, scanReport)
	if err != nil {
		return r, notFound(err, "report", id)
	}
	return r, nil
}

// ReportFilter selects reports of one quarter in the caller's subtree.
type ReportFilter struct {
	Scope         uuid.UUID
	Unit          *uuid.UUID
	Quarter       liangze.Quarter
	State         liangze.ReportState
	Limit, Offset int
}

// Reports returns one page of a quarter's reports, by unit.
func (s *Store) Reports(ctx context.Context, f ReportFilter) ([]liangze.Report, int, error) {
	q := inSubtree(f.Scope)
	q.underUnit(f.Unit)
	q.add(`r.year = $%d`, f.Quarter.Year)
	q.add(`r.quarter = $%d`, f.Quarter.Quarter)
	if f.State != "" {
		q.add(`r.state = $%d`, f.State)
	}
	return page(ctx, s, "reports", reportColumns, reportFrom, q, "u.depth, u.code", f.Limit, f.Offset, scanReport)
}

// Summary is an upper unit's quarterly summary: its own cases plus its direct
// subordinates' accepted reports, with the subordinates still missing.
type Summary struct {
	UnitID   uuid.UUID          `json:"unit_id"`
	Quarter  liangze.Quarter    `json:"period"`
	Own      liangze.ReportForm `json:"own"`
	Accepted []liangze.Report   `json:"accepted"`
	Missing  []liangze.OrgUnit  `json:"missing"`
	Total    liangze.ReportForm `json:"total"`
}

// ReportSummary aggregates the unit's own decided cases of the quarter and the accepted
// reports of its direct subordinates (each covering its own subtree).
func (s *Store) ReportSummary(ctx context.Context, unit uuid.UUID, q liangze.Quarter) (Summary, error) {
	sum := Summary{UnitID: unit, Quarter: q, Accepted: []liangze.Report{}, Missing: []liangze.OrgUnit{}}
	own, err := s.UnitCaseStats(ctx, unit, q.Start(), q.End())
	if err != nil {
		return sum, err
	}
	sum.Own = formOf(own)
	rows, err := s.pool.Query(ctx, `select `+reportColumns+reportFrom+`
		where u.parent_id = $1 and r.year = $2 and r.quarter = $3 and r.state = 'accepted' order by u.code`, unit, q.Year, q.Quarter)
	if err != nil {
		return sum, fmt.Errorf("accepted reports under %s: %w", unit, err)
	}
	if sum.Accepted, err = pgx.CollectRows(rows, scanReport); err != nil {
		return sum, err
	}
	rows, err = s.pool.Query(ctx, `select `+unitColumns+` from org_units u
		where u.parent_id = $1 and not exists (select 1 from quarterly_reports r where r.unit_id = u.id
		  and r.year = $2 and r.quarter = $3 and r.state = 'accepted') order by u.code`, unit, q.Year, q.Quarter)
	if err != nil {
		return sum, fmt.Errorf("missing reports under %s: %w", unit, err)
	}
	if sum.Missing, err = pgx.CollectRows(rows, scanUnit); err != nil {
		return sum, err
	}
	sum.Total.Add(sum.Own)
	for _, r := range sum.Accepted {
		sum.Total.Add(r.Form)
	}
	if sum.Total.TypicalCases == nil {
		sum.Total.TypicalCases = []uuid.UUID{}
	}
	return sum, nil
}
