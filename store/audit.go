package store

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"liangze"
)

// Event is one state change as the audit log records it. Key, when set, makes the change
// happen once: a second call with the same key changes nothing.
type Event struct {
	Key      string
	ActorID  *uuid.UUID
	Entity   string
	EntityID string
	Action   string
	Detail   any
}

// applyOnce records ev in the audit log and runs change in the same transaction, unless
// an event with the same key was recorded before; then it does nothing and reports false.
func (s *Store) applyOnce(ctx context.Context, ev Event, change func(pgx.Tx) error) (applied bool, err error) {
	err = s.inTx(ctx, func(tx pgx.Tx) error {
		ok, err := appendAudit(ctx, tx, ev)
		if err != nil || !ok {
			return err
		}
		applied = true
		return change(tx)
	})
	if err != nil {
		return false, fmt.Errorf("%s %s %s: %w", ev.Action, ev.Entity, ev.EntityID, err)
	}
	return applied, nil
}

// appendAudit inserts ev, reporting false if its key was already taken.
func appendAudit(ctx context.Context, tx pgx.Tx, ev Event) (bool, error) {
	detail, err := json.Marshal(ev.Detail)
	if err != nil {
		return false, fmt.Errorf("encode audit detail: %w", err)
	}
	if ev.Detail == nil {
		detail = []byte("{}")
	}
	var key *string
	if ev.Key != "" {
		key = &ev.Key
	}
	tag, err := tx.Exec(ctx, `
		insert into audit_log (actor_id, entity, entity_id, action, event_key, detail)
		values ($1, $2, $3, $4, $5, $6)
		on conflict (event_key) do nothing`,
		ev.ActorID, ev.Entity, ev.EntityID, ev.Action, key, detail)
	if err != nil {
		return false, fmt.Errorf("append audit: %w", err)
	}
	return tag.RowsAffected() == 1, nil
}

// AppendAudit records one event outside any other change.
func (s *Store) AppendAudit(ctx context.Context, ev Event) error {
	_, err := s.applyOnce(ctx, ev, func(pgx.Tx) error { return nil })
	return err
}

// AuditTrail returns the audit records of one entity, oldest first.
func (s *Store) AuditTrail(ctx context.Context, entity, entityID string) ([]liangze.AuditRecord, error) {
	rows, err := s.pool.Query(ctx, `
		select id, at, actor_id, entity, entity_id, action, detail
		from audit_log where entity = $1 and entity_id = $2 order by id`, entity, entityID)
	if err != nil {
		return nil, fmt.Errorf("audit trail %s %s: %w", entity, entityID, err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (liangze.AuditRecord, error) {
		var a liangze.AuditRecord
		var detail map[string]any
		err := r.Scan(&a.ID, &a.At, &a.ActorID, &a.Entity, &a.EntityID, &a.Action, &detail)
		a.Detail = detail
		return a, err
	})
}
