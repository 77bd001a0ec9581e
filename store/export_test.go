package store

import "context"

// ExecForTest runs raw SQL, for tests of database-side rules.
func (s *Store) ExecForTest(ctx context.Context, sql string) error {
	_, err := s.pool.Exec(ctx, sql)
	return err
}

// QueryRowForTest runs one raw query and scans its row into dst (nil entries are skipped).
func (s *Store) QueryRowForTest(ctx context.Context, sql string, args []any, dst ...any) error {
	for i, d := range dst {
		if d == nil {
			var skip any
			dst[i] = &skip
		}
	}
	return s.pool.QueryRow(ctx, sql, args...).Scan(dst...)
}
