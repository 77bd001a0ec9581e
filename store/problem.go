package store

import (
	"context"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"liangze"
)

// ProblemFilter selects problem-list entries in the caller's subtree.
type ProblemFilter struct {
	Scope         uuid.UUID
	Unit          *uuid.UUID
	Severity      liangze.Severity
	Open          *bool
	Limit, Offset int
}

const problemColumns = `p.id, p.escalation_id, p.unit_id, u.name_zh, u.name_en, p.severity, p.description, p.status = 'open',
	p.created_at, p.closed_at`

// Problems returns one page of the problem list (问题清单), newest first.
func (s *Store) Problems(ctx context.Context, f ProblemFilter) ([]liangze.Problem, int, error) {
	q := inSubtree(f.Scope)
	q.underUnit(f.Unit)
	if f.Severity != "" {
		q.add(`p.severity = $%d`, f.Severity)
	}
	if f.Open != nil {
		q.add(`(p.status = 'open') = $%d`, *f.Open)
	}
	return page(ctx, s, "problems", problemColumns, ` from problems p join org_units u on u.id = p.unit_id`, q,
		"p.created_at desc, p.id", f.Limit, f.Offset, func(row pgx.CollectableRow) (liangze.Problem, error) {
			var p liangze.Problem
			err := row.Scan(&p.ID, &p.EscalationID, &p.UnitID, &p.UnitName.ZH, &p.UnitName.EN, &p.Severity, &p.Description,
				&p.Open, &p.CreatedAt, &p.ClosedAt)
			p.SeverityLabel = p.Severity.Label()
			return p, err
		})
}
