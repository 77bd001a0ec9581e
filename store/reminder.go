package store

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"liangze"
)

// NewReminder is a reminder to store for several recipients. DedupeKey names the
// occasion (escalation, step, due date, offset): each recipient gets it once.
type NewReminder struct {
	DedupeKey    string
	Kind         string
	Title        liangze.Label
	Body         string
	EscalationID *uuid.UUID
	StepNo       *int
	DueAt        *time.Time
}

// Remind stores the reminder in each recipient's inbox, once per recipient and dedupe
// key, and records it in the audit log. It returns the reminders newly stored.
func (s *Store) Remind(ctx context.Context, r NewReminder, recipients []uuid.UUID) ([]liangze.Reminder, error) {
	var stored []liangze.Reminder
	entity, entityID := "reminder", r.DedupeKey
	if r.EscalationID != nil {
		entity, entityID = escalationEntity, r.EscalationID.String()
	}
	ev := Event{Key: "remind/" + r.DedupeKey, Entity: entity, EntityID: entityID, Action: "remind",
		Detail: map[string]any{"kind": r.Kind, "step_no": r.StepNo, "due_at": r.DueAt, "recipients": recipients}}
	_, err := s.applyOnce(ctx, ev, func(tx pgx.Tx) error {
		for _, u := range recipients {
			rows, err := tx.Query(ctx, `
				insert into reminders (dedupe_key, user_id, kind, title_zh, title_en, body, escalation_id, step_no, due_at)
				values ($1, $2, $3, $4, $5, $6, $7, $8, $9)
				on conflict (dedupe_key, user_id) do nothing
				returning `+reminderColumns,
				r.DedupeKey, u, r.Kind, r.Title.ZH, r.Title.EN, r.Body, r.EscalationID, r.StepNo, r.DueAt)
			if err != nil {
				return err
			}
			got, err := pgx.CollectRows(rows, scanReminder)
			if err != nil {
				return err
			}
			stored = append(stored, got...)
		}
		return nil
	})
	return stored, err
}

const reminderColumns = `id, user_id, kind, title_zh, title_en, body, escalation_id, step_no, due_at, created_at, read_at`

func scanReminder(r pgx.CollectableRow) (liangze.Reminder, error) {
	var m liangze.Reminder
	err := r.Scan(&m.ID, &m.UserID, &m.Kind, &m.Title.ZH, &m.Title.EN, &m.Body, &m.EscalationID, &m.StepNo,
		&m.DueAt, &m.CreatedAt, &m.ReadAt)
	return m, err
}

// Inbox returns one page of a user's reminders, newest first, and how many match in all.
func (s *Store) Inbox(ctx context.Context, user uuid.UUID, unreadOnly bool, limit, offset int) ([]liangze.Reminder, int, error) {
	const cond = ` from reminders where user_id = $1 and (not $2 or read_at is null)`
	var total int
	if err := s.pool.QueryRow(ctx, `select count(*)`+cond, user, unreadOnly).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("count inbox of %s: %w", user, err)
	}
	rows, err := s.pool.Query(ctx, `select `+reminderColumns+cond+` order by created_at desc, id desc limit $3 offset $4`,
		user, unreadOnly, limit, offset)
	if err != nil {
		return nil, 0, fmt.Errorf("inbox of %s: %w", user, err)
	}
	list, err := pgx.CollectRows(rows, scanReminder)
	if err != nil {
		return nil, 0, fmt.Errorf("inbox of %s: %w", user, err)
	}
	return list, total, nil
}

// MarkRead marks one of the user's reminders read.
func (s *Store) MarkRead(ctx context.Context, user uuid.UUID, id int64) error {
	tag, err := s.pool.Exec(ctx, `update reminders set read_at = coalesce(read_at, $3) where id = $1 and user_id = $2`,
		id, user, s.Now())
	if err != nil {
		return fmt.Errorf("mark reminder %d read: %w", id, err)
	}
	if tag.RowsAffected() == 0 {
		return liangze.Errorf(liangze.ENOTFOUND, "reminder %d not found in your inbox", id)
	}
	return nil
}

// UnitUsers returns the users with the given role whose scope is exactly the unit, or,
// with covering, any unit whose subtree holds it.
func (s *Store) UnitUsers(ctx context.Context, unit uuid.UUID, role liangze.Role, covering bool) ([]uuid.UUID, error) {
	rows, err := s.pool.Query(ctx, `
		select us.id from users us
		join org_units scope on scope.id = us.scope_unit_id, org_units u
		where u.id = $1 and us.role = $2
		  and (us.scope_unit_id = u.id or ($3 and u.path like scope.path || '%'))
		order by us.username`, unit, role, covering)
	if err != nil {
		return nil, fmt.Errorf("%s users of unit %s: %w", role, unit, err)
	}
	return pgx.CollectRows(rows, pgx.RowTo[uuid.UUID])
}

// PersonUsers returns the users who sign in as the given person.
func (s *Store) PersonUsers(ctx context.Context, person uuid.UUID) ([]uuid.UUID, error) {
	rows, err := s.pool.Query(ctx, `select id from users where person_id = $1 order by username`, person)
	if err != nil {
		return nil, fmt.Errorf("users of person %s: %w", person, err)
	}
	return pgx.CollectRows(rows, pgx.RowTo[uuid.UUID])
}
