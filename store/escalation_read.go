package store

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"liangze"
)

const escalationColumns = `e.id, e.workflow_id, e.unit_id, u.name_zh, u.name_en, e.person_id, coalesce(p.name, ''),
	e.trigger, e.problem, e.severity, e.level, e.current_step, e.state, e.opened_by, e.opened_at, e.closed_at`

const escalationFrom = ` from escalations e join org_units u on u.id = e.unit_id left join people p on p.id = e.person_id`

func scanEscalation(r pgx.CollectableRow) (liangze.Escalation, error) {
	var e liangze.Escalation
	err := r.Scan(&e.ID, &e.WorkflowID, &e.UnitID, &e.UnitName.ZH, &e.UnitName.EN, &e.PersonID, &e.PersonName,
		&e.Trigger, &e.Problem, &e.Severity, &e.Level, &e.CurrentStep, &e.State, &e.OpenedBy, &e.OpenedAt, &e.ClosedAt)
	e.SeverityLabel, e.LevelLabel, e.StateLabel = e.Severity.Label(), e.Level.Label(), e.State.Label()
	return e, err
}

// Escalation returns one escalation with its steps, oldest first.
func (s *Store) Escalation(ctx context.Context, id uuid.UUID) (liangze.Escalation, error) {
	rows, _ := s.pool.Query(ctx, `select `+escalationColumns+escalationFrom+` where e.id = $1`, id)
	e, err := pgx.CollectExactlyOneRow(rows, scanEscalation)
	if err != nil {
		return e, notFound(err, "escalation", id)
	}
	rows, err = s.pool.Query(ctx, `
		select step_no, level, state, reason, proposed_by, proposed_at, decided_by, decided_at, decision_comment,
		       talk, requirements, due_at, due_rule_zh, due_rule_en, due_warnings, rectification_report, submitted_by, submitted_at,
		       verified_by, verified_at, verification_comment
		from escalation_steps where escalation_id = $1 order by step_no`, id)
	if err != nil {
		return e, fmt.Errorf("steps of escalation %s: %w", id, err)
	}
	e.Steps, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (liangze.Step, error) {
		var st liangze.Step
		err := r.Scan(&st.No, &st.Level, &st.State, &st.Reason, &st.ProposedBy, &st.ProposedAt, &st.DecidedBy,
			&st.DecidedAt, &st.DecisionComment, &st.Talk, &st.Requirements, &st.DueAt, &st.DueRule.ZH, &st.DueRule.EN,
			&st.DueWarnings, &st.RectificationReport,
			&st.SubmittedBy, &st.SubmittedAt, &st.VerifiedBy, &st.VerifiedAt, &st.VerificationComment)
		st.LevelLabel, st.StateLabel = st.Level.Label(), st.State.Label()
		return st, err
	})
	if err != nil {
		return e, fmt.Errorf("steps of escalation %s: %w", id, err)
	}
	if e.Steps == nil { // stored by the process that started it, its first step not yet proposed
		e.Steps = []liangze.Step{}
	}
	return e, nil
}

// EscalationFilter selects escalations for a list. Scope is the caller's subtree and is
// always applied; the other fields narrow it when set.
type EscalationFilter struct {
	Scope    uuid.UUID
	Unit     *uuid.UUID // subtree of this unit
	Level    liangze.Level
	State    liangze.EscalationState
	Severity liangze.Severity
	Limit    int
	Offset   int
}

// Escalations returns one page of escalations, newest first, and how many match in all.
func (s *Store) Escalations(ctx context.Context, f EscalationFilter) ([]liangze.Escalation, int, error) {
	q := inSubtree(f.Scope)
	q.underUnit(f.Unit)
	if f.Level != "" {
		q.add(`e.level = $%d`, f.Level)
	}
	if f.State != "" {
		q.add(`e.state = $%d`, f.State)
	}
	if f.Severity != "" {
		q.add(`e.severity = $%d`, f.Severity)
	}
	return page(ctx, s, "escalations", escalationColumns, escalationFrom, q, "e.opened_at desc, e.id", f.Limit, f.Offset, scanEscalation)
}
