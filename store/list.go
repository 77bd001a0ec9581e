package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"
)

// filter builds the WHERE clause of a list query from conditions with one argument each,
// never from the values themselves.
type filter struct {
	where []string
	args  []any
}

// inSubtree starts a filter on rows whose org unit (joined as u) lies under root.
func inSubtree(root uuid.UUID) *filter {
	return &filter{where: []string{`u.path like (select path from org_units where id = $1) || '%'`}, args: []any{root}}
}

// add adds cond, whose one %d becomes v's placeholder number.
func (f *filter) add(cond string, v any) {
	f.args = append(f.args, v)
	f.where = append(f.where, fmt.Sprintf(cond, len(f.args)))
}

// underUnit narrows the filter to the subtree of unit, if set.
func (f *filter) underUnit(unit *uuid.UUID) {
	if unit != nil {
		f.add(`u.path like (select path from org_units where id = $%d) || '%%'`, *unit)
	}
}

// page runs "select columns from ... where ... order by ... limit offset" and the matching
// count.
func page[T any](ctx context.Context, s *Store, what, columns, from string, f *filter, order string, limit, offset int,
	scan pgx.RowToFunc[T]) ([]T, int, error) {
	cond := " where " + strings.Join(f.where, " and ")
	var total int
	if err := s.pool.QueryRow(ctx, `select count(*)`+from+cond, f.args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count %s: %w", what, err)
	}
	args := append(f.args, limit, offset)
	rows, err := s.pool.Query(ctx, `select `+columns+from+cond+
		fmt.Sprintf(` order by %s limit $%d offset $%d`, order, len(args)-1, len(args)), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("list %s: %w", what, err)
	}
	list, err := pgx.CollectRows(rows, scan)
	if err != nil {
		return nil, 0, fmt.Errorf("list %s: %w", what, err)
	}
	return list, total, nil
}
