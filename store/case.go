package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"liangze"
)

const caseEntity = "case"

// NewCase is what opening a case stores.
type NewCase struct {
	ID            uuid.UUID
	WorkflowID    string
	UnitID        uuid.UUID
	PersonID      uuid.UUID
	ClueSource    string
	Summary       string
	Category      string
	Evidence      []string
	ViolationDate time.Time
	EscalationID  *uuid.UUID
	Severity      liangze.Severity
	OpenedBy      uuid.UUID
	OpenedAt      time.Time
}

// CaseChange is one change to a case; Key makes it happen once.
type CaseChange struct {
	Key    string
	CaseID uuid.UUID
	Actor  *uuid.UUID
	At     time.Time
}

func (c CaseChange) event(action string, detail map[string]any) Event {
	return Event{Key: c.Key, ActorID: c.Actor, Entity: caseEntity, EntityID: c.CaseID.String(), Action: action, Detail: detail}
}

// OpenCase stores a new case, linking the escalation it came from, if any.
func (s *Store) OpenCase(ctx context.Context, c CaseChange, n NewCase) error {
	ev := c.event("open_case", map[string]any{"unit_id": n.UnitID, "person_id": n.PersonID, "category": n.Category,
		"escalation_id": n.EscalationID})
	if n.Severity == "" {
		n.Severity = liangze.SeverityGeneral
	}
	_, err := s.applyOnce(ctx, ev, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `
			insert into cases (id, workflow_id, unit_id, person_id, clue_source, summary, category, evidence,
			                   violation_date, escalation_id, opened_by, opened_at, severity)
			values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
			n.ID, n.WorkflowID, n.UnitID, n.PersonID, n.ClueSource, n.Summary, n.Category, nonNil(n.Evidence),
			n.ViolationDate, n.EscalationID, n.OpenedBy, n.OpenedAt, n.Severity)
		if err != nil || n.EscalationID == nil {
			return err
		}
		_, err = tx.Exec(ctx, `update accountability_handovers set case_id = $2 where escalation_id = $1`, n.EscalationID, n.ID)
		return err
	})
	return err
}

// SetCaseStage moves the case to a stage with its deadline (nil: none).
func (s *Store) SetCaseStage(ctx context.Context, c CaseChange, stage liangze.CaseStage, due *liangze.Deadline) error {
	var d liangze.Deadline
	if due != nil {
		d = *due
	}
	ev := c.event("set_stage", map[string]any{"stage": stage, "due": due})
	return s.updateCase(ctx, ev, `update cases set stage = $2, stage_due_at = $3, stage_due_rule_zh = $4,
		stage_due_rule_en = $5, stage_overdue = false where id = $1`, c.CaseID, stage, nullTime(d.At), d.Rule.ZH, d.Rule.EN)
}

// ExtendCaseStage moves the current stage's deadline after an approved extension.
func (s *Store) ExtendCaseStage(ctx context.Context, c CaseChange, due liangze.Deadline, reason string) error {
	ev := c.event("extend_stage", map[string]any{"due": due, "reason": reason})
	return s.updateCase(ctx, ev, `update cases set stage_due_at = $2, stage_overdue = false where id = $1`, c.CaseID, due.At)
}

// FlagCaseOverdue flags the current stage as past its deadline.
func (s *Store) FlagCaseOverdue(ctx context.Context, c CaseChange, stage liangze.CaseStage) error {
	return s.updateCase(ctx, c.event("stage_overdue", map[string]any{"stage": stage}),
		`update cases set stage_overdue = true where id = $1`, c.CaseID)
}

// DecideFiling records the supervisor's filing decision (立案) or the closing reason.
func (s *Store) DecideFiling(ctx context.Context, c CaseChange, file bool, comment string) error {
	action, sql := "file_case", `update cases set filing_decided_by = $2, filing_decided_at = $3, filing_comment = $4 where id = $1`
	if !file {
		action = "close_not_filed"
		sql = `update cases set filing_decided_by = $2, filing_decided_at = $3, filing_comment = $4, stage = 'closed',
			outcome = 'not_filed', closed_at = $3, stage_due_at = null where id = $1`
	}
	return s.updateCase(ctx, c.event(action, map[string]any{"comment": comment}), sql, c.CaseID, c.Actor, c.At, comment)
}

// RecordViolationFinding records the finding of the violation investigation and the
// person's own responsibility (当事人责任, level 0).
func (s *Store) RecordViolationFinding(ctx context.Context, c CaseChange, established bool, finding string, person uuid.UUID) error {
	ev := c.event("violation_finding", map[string]any{"established": established, "finding": finding})
	_, err := s.applyOnce(ctx, ev, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `update cases set violation_established = $2, violation_finding = $3,
			violation_recorded_by = $4 where id = $1`, c.CaseID, established, finding, c.Actor); err != nil {
			return err
		}
		if !established {
			return nil
		}
		_, err := tx.Exec(ctx, `insert into case_findings (case_id, level, person_id, collective, direct, former, description)
			values ($1, 0, $2, false, true, false, $3)`, c.CaseID, person, finding)
		return err
	})
	return err
}

// OpenCaseLevel stores the start of one level of the responsibility investigation with the
// evidence gathered for it.
func (s *Store) OpenCaseLevel(ctx context.Context, c CaseChange, level int, unit uuid.UUID, workflowID string, ev liangze.LevelEvidence) error {
	_, err := s.applyOnce(ctx, c.event("open_level", map[string]any{"level": level, "unit_id": unit}), func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `insert into case_levels (case_id, level, unit_id, workflow_id, evidence, opened_at)
			values ($1, $2, $3, $4, $5, $6)`, c.CaseID, level, unit, workflowID, ev, c.At)
		return err
	})
	return err
}

// LevelFinding is the finding of one level of the responsibility investigation.
type LevelFinding struct {
	PrimaryAtFault     bool
	SupervisoryAtFault bool
	Summary            string
	Persons            []liangze.Finding
}

// RecordLevelFinding stores a level's finding and the persons found responsible at it.
func (s *Store) RecordLevelFinding(ctx context.Context, c CaseChange, level int, f LevelFinding) error {
	state := "cleared"
	if f.PrimaryAtFault || f.SupervisoryAtFault {
		state = "at_fault"
	}
	ev := c.event("level_finding", map[string]any{"level": level, "state": state, "primary_at_fault": f.PrimaryAtFault,
		"supervisory_at_fault": f.SupervisoryAtFault, "persons": f.Persons})
	_, err := s.applyOnce(ctx, ev, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `update case_levels set state = $3, primary_at_fault = $4, supervisory_at_fault = $5,
			summary = $6, recorded_by = $7, recorded_at = $8 where case_id = $1 and level = $2`,
			c.CaseID, level, state, f.PrimaryAtFault, f.SupervisoryAtFault, f.Summary, c.Actor, c.At); err != nil {
			return err
		}
		for _, p := range f.Persons {
			if _, err := tx.Exec(ctx, `insert into case_findings (case_id, level, person_id, collective, direct, former, description)
				values ($1, $2, $3, $4, $5, $6, $7)`, c.CaseID, level, p.PersonID, p.Collective, p.Direct, p.Former, p.Description); err != nil {
				return err
			}
		}
		return nil
	})
	return err
}

// DecideCase stores the approved decision and closes the case.
func (s *Store) DecideCase(ctx context.Context, c CaseChange, proposedBy uuid.UUID, forms []liangze.DecisionForm) error {
	ev := c.event("decide_case", map[string]any{"proposed_by": proposedBy, "forms": forms})
	_, err := s.applyOnce(ctx, ev, func(tx pgx.Tx) error {
		for _, f := range forms {
			if _, err := tx.Exec(ctx, `insert into case_decisions (case_id, person_id, form, basis, proposed_by, approved_by, approved_at)
				values ($1, $2, $3, $4, $5, $6, $7)`, c.CaseID, f.PersonID, f.Form, f.Basis, proposedBy, c.Actor, c.At); err != nil {
				return err
			}
		}
		_, err := tx.Exec(ctx, `update cases set stage = 'closed', outcome = 'decided', closed_at = $2, stage_due_at = null
			where id = $1`, c.CaseID, c.At)
		return err
	})
	return err
}

func (s *Store) updateCase(ctx context.Context, ev Event, sql string, args ...any) error {
	_, err := s.applyOnce(ctx, ev, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, sql, args...)
		if err == nil && tag.RowsAffected() != 1 {
			return liangze.Errorf(liangze.ENOTFOUND, "case %v not found", args[0])
		}
		return err
	})
	return err
}

// LevelEvidence gathers what a level's responsibility investigation starts from: who
// carried the two responsibilities, the leaders in post on the day of the violation (by
// tenure, not today's), the unit's signed responsibility records for that year, and the parent.
func (s *Store) LevelEvidence(ctx context.Context, unitID uuid.UUID, violation time.Time) (liangze.LevelEvidence, error) {
	var ev liangze.LevelEvidence
	u, err := s.Unit(ctx, unitID)
	if err != nil {
		return ev, err
	}
	ev.ParentID = u.ParentID
	if ev.Primary, ev.Supervisory, err = s.Subjects(ctx, u); err != nil {
		return ev, err
	}
	rows, err := s.pool.Query(ctx, `
		select p.person_id, pe.name, p.title_zh, p.title_en, p.kind, (p.ended_on is null or p.ended_on > current_date)
		from positions p join people pe on pe.id = p.person_id
		where p.unit_id = $1 and p.kind <> 'staff' and p.started_on <= $2 and (p.ended_on is null or p.ended_on > $2)
		order by array_position(array['first_responsible','leadership_member','discipline_head'], p.kind), pe.name`,
		unitID, violation)
	if err != nil {
		return ev, fmt.Errorf("leaders of %s on %s: %w", unitID, violation.Format(time.DateOnly), err)
	}
	ev.LeadersAt, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (liangze.LeaderAt, error) {
		var l liangze.LeaderAt
		err := r.Scan(&l.PersonID, &l.Name, &l.Title.ZH, &l.Title.EN, &l.Kind, &l.Current)
		return l, err
	})
	if err != nil {
		return ev, err
	}
	year := violation.In(liangze.ChinaTime).Year()
	records, err := s.SignedRecords(ctx, unitID, year)
	if err != nil {
		return ev, err
	}
	ev.SignedRecords, ev.Notes = []liangze.SignedRef{}, []string{}
	for _, r := range records {
		ev.SignedRecords = append(ev.SignedRecords, liangze.SignedRef{ID: r.ID, Document: r.Document, Version: r.Version, Part: r.Part,
			PartLabel: r.PartLabel, SignerName: r.SignerName, SignerTitle: r.SignerTitle, SignedAt: r.SignedAt, ContentHash: r.ContentHash})
	}
	if len(records) == 0 {
		ev.Notes = append(ev.Notes, fmt.Sprintf("未找到%d年度签字背书记录 / no signed responsibility record found for %d", year, year))
	}
	var total float64
	var rank int
	var bottom bool
	err = s.pool.QueryRow(ctx, `select r.total::float8, r.rank, r.bottom from assessment_results r
		join assessments a on a.id = r.assessment_id where r.unit_id = $1 and a.year = $2`, unitID, year).Scan(&total, &rank, &bottom)
	switch {
	case err == nil:
		note := fmt.Sprintf("%d年度责任制考核第%d名，%.2f分 / %d assessment: ranked %d, %.2f points", year, rank, total, year, rank, total)
		if bottom {
			note += "（末位 / bottom-ranked）"
		}
		ev.Notes = append(ev.Notes, note)
	case !errors.Is(err, pgx.ErrNoRows):
		return ev, fmt.Errorf("assessment of %s for %d: %w", unitID, year, err)
	}
	return ev, nil
}
