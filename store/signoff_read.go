package store

import (
	"context"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"liangze"
)

const signoffColumns = `s.id, s.workflow_id, s.unit_id, u.name_zh, u.name_en, s.year, s.document, s.body, s.state, s.version, s.items, s.due_at,
	s.due_rule_zh, s.due_rule_en, s.overdue, s.escalation_id, s.updated_at`

const signoffFrom = ` from annual_signoffs s join org_units u on u.id = s.unit_id`

func scanSignoff(row pgx.CollectableRow) (liangze.Signoff, error) {
	var so liangze.Signoff
	err := row.Scan(&so.ID, &so.WorkflowID, &so.UnitID, &so.UnitName.ZH, &so.UnitName.EN, &so.Year, &so.Document, &so.Body, &so.State, &so.Version,
		&so.Items, &so.DueAt, &so.DueRule.ZH, &so.DueRule.EN, &so.Overdue, &so.Escalation, &so.LastChanged)
	so.StateLabel, so.DocLabel = so.State.Label(), so.Document.Label()
	return so, err
}

// Signoff returns a document a unit signs with its leaders in post today, those still
// without an item (task lists), and the document's signed records.
func (s *Store) Signoff(ctx context.Context, id uuid.UUID) (liangze.Signoff, error) {
	rows, _ := s.pool.Query(ctx, `select `+signoffColumns+signoffFrom+` where s.id = $1`, id)
	so, err := pgx.CollectExactlyOneRow(rows, scanSignoff)
	if err != nil {
		return so, notFound(err, "sign-off", id)
	}
	if so.Leaders, err = s.UnitLeaders(ctx, so.UnitID, s.Now()); err != nil {
		return so, err
	}
	so.Missing = []liangze.Leader{}
	if so.Document == liangze.DocTaskList {
		so.Missing = liangze.MissingLeaders(so.Items, so.Leaders)
	}
	records, err := s.SignedRecords(ctx, so.UnitID, so.Year)
	so.Records = []liangze.SignedRecord{}
	for _, r := range records {
		if r.Document == so.Document {
			so.Records = append(so.Records, r)
		}
	}
	return so, err
}

// SignoffFilter selects the sign-offs of one year in the caller's subtree.
type SignoffFilter struct {
	Scope         uuid.UUID
	Unit          *uuid.UUID
	Year          int
	Document      liangze.Document // the task list when empty
	State         liangze.SignoffState
	Unsigned      bool // only those not yet fully signed: the January check
	Overdue       *bool
	Limit, Offset int
}

// Signoffs returns one page of a year's sign-offs, by unit.
func (s *Store) Signoffs(ctx context.Context, f SignoffFilter) ([]liangze.Signoff, int, error) {
	q := inSubtree(f.Scope)
	q.underUnit(f.Unit)
	q.add(`s.year = $%d`, f.Year)
	q.add(`s.document = $%d`, f.Document.OrTaskList())
	if f.State != "" {
		q.add(`s.state = $%d`, f.State)
	}
	if f.Unsigned {
		q.add(`s.state <> $%d`, liangze.SignoffSigned)
	}
	if f.Overdue != nil {
		q.add(`s.overdue = $%d`, *f.Overdue)
	}
	return page(ctx, s, "sign-offs", signoffColumns, signoffFrom, q, "u.depth, u.code", f.Limit, f.Offset, scanSignoff)
}
