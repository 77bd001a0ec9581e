package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"liangze"
)

const signoffEntity = "signoff"

// SignoffChange is one change to a unit's year of sign-off; Key makes it happen once.
type SignoffChange struct {
	Key       string
	SignoffID uuid.UUID
	Actor     *uuid.UUID
	At        time.Time
}

func (c SignoffChange) event(action string, detail map[string]any) Event {
	return Event{Key: c.Key, ActorID: c.Actor, Entity: signoffEntity, EntityID: c.SignoffID.String(), Action: action, Detail: detail}
}

// CreateSignoff stores a document a unit signs in a year (its task list, letter or summary),
// empty, with its deadline.
func (s *Store) CreateSignoff(ctx context.Context, c SignoffChange, workflowID string, unit uuid.UUID, year int,
	doc liangze.Document, due liangze.Deadline) error {
	ev := c.event("open_signoff", map[string]any{"unit_id": unit, "year": year, "document": doc.OrTaskList(), "due": due})
	_, err := s.applyOnce(ctx, ev, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `insert into annual_signoffs (id, workflow_id, unit_id, year, document, due_at, due_rule_zh, due_rule_en,
			created_at, updated_at) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)`,
			c.SignoffID, workflowID, unit, year, doc.OrTaskList(), due.At, due.Rule.ZH, due.Rule.EN, c.At)
		return err
	})
	return err
}

// SaveBody replaces the draft text of a letter or summary.
func (s *Store) SaveBody(ctx context.Context, c SignoffChange, body string) error {
	return s.updateSignoff(ctx, c.event("save_body", map[string]any{"length": len([]rune(body))}), `update annual_signoffs
		set body = $2, updated_at = $3 where id = $1 and state = 'drafting' and document <> 'task_list'`, c.SignoffID, body, c.At)
}

// SaveTaskList replaces the draft task list. Only a draft can change: a submitted or signed
// list is fixed, and a signed one changes only through a new version.
func (s *Store) SaveTaskList(ctx context.Context, c SignoffChange, items []liangze.TaskItem) error {
	return s.updateSignoff(ctx, c.event("save_task_list", map[string]any{"items": len(items)}), `update annual_signoffs
		set items = $2, updated_at = $3 where id = $1 and state = 'drafting' and document = 'task_list'`, c.SignoffID, items, c.At)
}

// SubmitTaskList sends the draft to the first responsible person for signature, refusing a
// list that leaves a leadership member without an item.
func (s *Store) SubmitTaskList(ctx context.Context, c SignoffChange) error {
	_, err := s.applyOnce(ctx, c.event("submit_task_list", nil), func(tx pgx.Tx) error {
		so, err := lockSignoff(ctx, tx, c.SignoffID)
		if err != nil {
			return err
		}
		if err := s.checkComplete(ctx, tx, so, c.At); err != nil {
			return err
		}
		return setSignoffState(ctx, tx, c, liangze.SignoffDrafting, liangze.SignoffAwaitingHead)
	})
	return err
}

// ReturnTaskList sends a submitted list back to drafting with the signer's reason.
func (s *Store) ReturnTaskList(ctx context.Context, c SignoffChange, reason string) error {
	_, err := s.applyOnce(ctx, c.event("return_task_list", map[string]any{"reason": reason}), func(tx pgx.Tx) error {
		so, err := lockSignoff(ctx, tx, c.SignoffID)
		if err != nil {
			return err
		}
		if so.State == liangze.SignoffDrafting || so.State == liangze.SignoffSigned {
			return liangze.Errorf(liangze.ECONFLICT, "the task list is %s (%s): nothing to return", so.State, so.State.Label().ZH)
		}
		return setSignoffState(ctx, tx, c, so.State, liangze.SignoffDrafting)
	})
	return err
}

// ReviseTaskList opens a new version of a signed list: the signed records stay as they
// are, and the new version must be signed again.
func (s *Store) ReviseTaskList(ctx context.Context, c SignoffChange, reason string) error {
	return s.updateSignoff(ctx, c.event("revise_task_list", map[string]any{"reason": reason}), `update annual_signoffs
		set state = 'drafting', version = version + 1, updated_at = $2 where id = $1 and state = 'signed'`, c.SignoffID, c.At)
}

// FlagSignoffOverdue records a missed deadline and the escalation it started.
func (s *Store) FlagSignoffOverdue(ctx context.Context, c SignoffChange, escalation uuid.UUID) error {
	return s.updateSignoff(ctx, c.event("signoff_overdue", map[string]any{"escalation_id": escalation}),
		`update annual_signoffs set overdue = true, escalation_id = $2 where id = $1`, c.SignoffID, escalation)
}

func (s *Store) updateSignoff(ctx context.Context, ev Event, sql string, args ...any) error {
	_, err := s.applyOnce(ctx, ev, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, sql, args...)
		if err == nil && tag.RowsAffected() != 1 {
			return signoffStateConflict(ctx, tx, args[0].(uuid.UUID), ev.Action)
		}
		return err
	})
	return err
}

// signoffStateConflict explains why a guarded update touched no row.
func signoffStateConflict(ctx context.Context, tx pgx.Tx, id uuid.UUID, action string) error {
	var state liangze.SignoffState
	if err := tx.QueryRow(ctx, `select state from annual_signoffs where id = $1`, id).Scan(&state); err != nil {
		return liangze.Errorf(liangze.ENOTFOUND, "sign-off %s not found", id)
	}
	return liangze.Errorf(liangze.ECONFLICT, "the document is %s (%s): %s refused", state, state.Label().ZH, action)
}

func setSignoffState(ctx context.Context, tx pgx.Tx, c SignoffChange, from, to liangze.SignoffState) error {
	tag, err := tx.Exec(ctx, `update annual_signoffs set state = $3, updated_at = $4 where id = $1 and state = $2`,
		c.SignoffID, from, to, c.At)
	if err == nil && tag.RowsAffected() != 1 {
		return signoffStateConflict(ctx, tx, c.SignoffID, "move to "+string(to))
	}
	return err
}

type lockedSignoff struct {
	UnitID   uuid.UUID
	Year     int
	Version  int
	State    liangze.SignoffState
	Document liangze.Document
	Items    []liangze.TaskItem
	Body     string
}

const lockedColumns = `unit_id, year, version, state, document, items, body`

func (so *lockedSignoff) scan(row pgx.Row) error {
	return row.Scan(&so.UnitID, &so.Year, &so.Version, &so.State, &so.Document, &so.Items, &so.Body)
}

func lockSignoff(ctx context.Context, tx pgx.Tx, id uuid.UUID) (lockedSignoff, error) {
	var so lockedSignoff
	err := so.scan(tx.QueryRow(ctx, `select `+lockedColumns+` from annual_signoffs where id = $1 for update`, id))
	if err != nil {
		return so, notFound(err, "sign-off", id)
	}
	return so, nil
}

// checkComplete refuses a list with no items, a bad item, or a leader without an item; and
// a letter or summary without text.
func (s *Store) checkComplete(ctx context.Context, tx pgx.Tx, so lockedSignoff, on time.Time) error {
	if so.Document != liangze.DocTaskList {
		if strings.TrimSpace(so.Body) == "" {
			return liangze.FieldError("body", "the %s has no text yet", so.Document.Label().ZH)
		}
		return nil
	}
	leaders, err := unitLeaders(ctx, tx, so.UnitID, on)
	if err != nil {
		return err
	}
	if err := liangze.ValidateTaskList(so.Items, leaders, so.Year); err != nil {
		return err
	}
	if missing := liangze.MissingLeaders(so.Items, leaders); len(missing) > 0 {
		return liangze.MissingLeadersError(missing)
	}
	return nil
}

// querier is what both the pool and a transaction offer.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

// unitLeaders returns the unit's leadership (first responsible person, members, discipline
// head) in post on the given day.
func unitLeaders(ctx context.Context, q querier, unit uuid.UUID, on time.Time) ([]liangze.Leader, error) {
	rows, err := q.Query(ctx, `select p.person_id, pe.name, p.title_zh, p.title_en, p.kind
		from positions p join people pe on pe.id = p.person_id
		where p.unit_id = $1 and p.kind <> 'staff' and p.started_on <= $2 and (p.ended_on is null or p.ended_on > $2)
		order by array_position(array['first_responsible','leadership_member','discipline_head'], p.kind), pe.name`,
		unit, on.In(liangze.ChinaTime).Format(time.DateOnly))
	if err != nil {
		return nil, fmt.Errorf("leaders of %s: %w", unit, err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (liangze.Leader, error) {
		var l liangze.Leader
		err := r.Scan(&l.PersonID, &l.Name, &l.Title.ZH, &l.Title.EN, &l.Kind)
		return l, err
	})
}

// UnitLeaders returns the unit's leadership in post on the given day.
func (s *Store) UnitLeaders(ctx context.Context, unit uuid.UUID, on time.Time) ([]liangze.Leader, error) {
	return unitLeaders(ctx, s.pool, unit, on)
}
