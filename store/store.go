// Package store keeps liangze's state in PostgreSQL: schema migrations and pgx queries.
// Exported methods own their transaction; unexported helpers take a pgx.Tx.
package store

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/jackc/tern/v2/migrate"

	"liangze"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// versionTable records which migrations ran.
const versionTable = "schema_version"

// Store is liangze's PostgreSQL store.
type Store struct {
	pool *pgxpool.Pool
	// Now is the clock; tests may replace it.
	Now func() time.Time
}

// Open connects to the database at url and checks the connection.
func Open(ctx context.Context, url string) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("parse database url: %w", err)
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("connect to database: %w", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("ping database %s: %w", cfg.ConnConfig.Host, err)
	}
	return &Store{pool: pool, Now: time.Now}, nil
}

// Close closes the pool.
func (s *Store) Close() { s.pool.Close() }

// Ping checks the database answers.
func (s *Store) Ping(ctx context.Context) error { return s.pool.Ping(ctx) }

// Migrate applies the embedded migrations that have not run yet, then stores the shipped
// holiday arrangements for years that have none. tern holds a PostgreSQL advisory lock
// while it runs, so several processes may call it at once.
func Migrate(ctx context.Context, url string) (version int32, err error) {
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		return 0, fmt.Errorf("migrate: connect: %w", err)
	}
	defer conn.Close(ctx)
	m, err := migrate.NewMigrator(ctx, conn, versionTable)
	if err != nil {
		return 0, fmt.Errorf("migrate: %w", err)
	}
	sub, err := fs.Sub(migrationFiles, "migrations")
	if err != nil {
		return 0, fmt.Errorf("migrate: %w", err)
	}
	if err := m.LoadMigrations(sub); err != nil {
		return 0, fmt.Errorf("migrate: load: %w", err)
	}
	if err := m.Migrate(ctx); err != nil {
		return 0, fmt.Errorf("migrate: %w", err)
	}
	if version, err = m.GetCurrentVersion(ctx); err != nil {
		return 0, fmt.Errorf("migrate: %w", err)
	}
	s, err := Open(ctx, url)
	if err != nil {
		return version, err
	}
	defer s.Close()
	return version, s.EnsureOfficialCalendars(ctx)
}

// inTx runs fn in a transaction, committing if fn returns nil.
func (s *Store) inTx(ctx context.Context, fn func(pgx.Tx) error) error {
	tx, err := s.pool.Begin(ctx)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback(ctx)
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit(ctx)
}

// notFound turns pgx.ErrNoRows into a domain ENOTFOUND error.
func notFound(err error, what string, id any) error {
	if errors.Is(err, pgx.ErrNoRows) {
		return liangze.Errorf(liangze.ENOTFOUND, "%s %v not found", what, id)
	}
	return fmt.Errorf("get %s %v: %w", what, id, err)
}

// isForeignKeyViolation reports whether err is PostgreSQL's foreign_key_violation.
func isForeignKeyViolation(err error) bool {
	var pg *pgconn.PgError
	return errors.As(err, &pg) && pg.Code == "23503"
}
