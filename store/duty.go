package store

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"liangze"
)

// NewDuty is one duty to create for a unit's year.
type NewDuty struct {
	Kind        liangze.DutyKind
	Subject     *uuid.UUID
	SubjectUnit *uuid.UUID
	Due         liangze.Deadline
}

// TalkSubject is someone the head must hold an integrity talk with: a leadership member of
// the unit, or the head of a unit directly under it.
type TalkSubject struct {
	PersonID uuid.UUID
	UnitID   uuid.UUID
}

// TalkSubjects returns whom the unit's head talks with in the year (in post on the day).
func (s *Store) TalkSubjects(ctx context.Context, unit uuid.UUID, on time.Time) ([]TalkSubject, error) {
	rows, err := s.pool.Query(ctx, `select distinct p.person_id, p.unit_id from positions p join org_units u on u.id = p.unit_id
		where p.started_on <= $2 and (p.ended_on is null or p.ended_on > $2)
		  and ((p.unit_id = $1 and p.kind in ('leadership_member','discipline_head'))
		    or (u.parent_id = $1 and p.kind = 'first_responsible'))
		order by p.unit_id, p.person_id`, unit, on.In(liangze.ChinaTime).Format(time.DateOnly))
	if err != nil {
		return nil, fmt.Errorf("talk subjects of %s: %w", unit, err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (TalkSubject, error) {
		var t TalkSubject
		err := r.Scan(&t.PersonID, &t.UnitID)
		return t, err
	})
}

// OpenDuties stores the duties of a unit's year, once.
func (s *Store) OpenDuties(ctx context.Context, c SignoffChange, unit uuid.UUID, year int, duties []NewDuty) error {
	ev := c.event("open_duties", map[string]any{"duties": len(duties)})
	_, err := s.applyOnce(ctx, ev, func(tx pgx.Tx) error {
		for _, d := range duties {
			_, err := tx.Exec(ctx, `insert into annual_duties (id, signoff_id, unit_id, year, kind, subject_person_id, subject_unit_id,
				due_at, due_rule_zh, due_rule_en) values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) on conflict (id) do nothing`,
				liangze.DutyID(c.SignoffID, d.Kind, d.Subject), c.SignoffID, unit, year, d.Kind, d.Subject, d.SubjectUnit,
				d.Due.At, d.Due.Rule.ZH, d.Due.Rule.EN)
			if err != nil {
				return fmt.Errorf("store duty %s: %w", d.Kind, err)
			}
		}
		return nil
	})
	return err
}

// CompleteDuty records a duty as done on the given day, with a note (minutes, report number).
func (s *Store) CompleteDuty(ctx context.Context, c SignoffChange, duty uuid.UUID, doneOn, note string) error {
	ev := c.event("complete_duty", map[string]any{"duty_id": duty, "done_on": doneOn, "note": note})
	_, err := s.applyOnce(ctx, ev, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `update annual_duties set state = 'done', done_on = $3, done_by = $4, note = $5
			where id = $1 and signoff_id = $2 and state = 'pending'`, duty, c.SignoffID, doneOn, c.Actor, note)
		if err == nil && tag.RowsAffected() != 1 {
			return liangze.Errorf(liangze.ECONFLICT, "duty %s is not pending in this sign-off", duty)
		}
		return err
	})
	return err
}

// FlagDutiesOverdue marks duties missed at their deadline, with the escalation it opened.
func (s *Store) FlagDutiesOverdue(ctx context.Context, c SignoffChange, duties []uuid.UUID, escalation uuid.UUID) error {
	ev := c.event("duties_overdue", map[string]any{"duties": duties, "escalation_id": escalation})
	_, err := s.applyOnce(ctx, ev, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `update annual_duties set overdue = true, escalation_id = $2 where id = any($1)`, duties, escalation)
		return err
	})
	return err
}

// Duties returns the duties of a sign-off, by deadline; pendingOnly keeps those not done
// among ids (all of the sign-off's when ids is empty).
func (s *Store) Duties(ctx context.Context, signoff uuid.UUID, ids []uuid.UUID, pendingOnly bool) ([]liangze.Duty, error) {
	rows, err := s.pool.Query(ctx, `select d.id, d.signoff_id, d.unit_id, d.year, d.kind, d.subject_person_id, pe.name,
			d.subject_unit_id, d.due_at, d.due_rule_zh, d.due_rule_en, d.state, d.done_on::text, d.done_by, d.note, d.overdue, d.escalation_id
		from annual_duties d left join people pe on pe.id = d.subject_person_id
		where d.signoff_id = $1 and (coalesce(cardinality($2::uuid[]), 0) = 0 or d.id = any($2)) and (not $3 or d.state = 'pending')
		order by d.due_at, d.kind, pe.name`, signoff, ids, pendingOnly)
	if err != nil {
		return nil, fmt.Errorf("duties of %s: %w", signoff, err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (liangze.Duty, error) {
		var d liangze.Duty
		var name *string
		err := r.Scan(&d.ID, &d.SignoffID, &d.UnitID, &d.Year, &d.Kind, &d.SubjectID, &name, &d.SubjectUnitID, &d.DueAt,
			&d.DueRule.ZH, &d.DueRule.EN, &d.State, &d.DoneOn, &d.DoneBy, &d.Note, &d.Overdue, &d.EscalationID)
		if name != nil {
			d.SubjectName = *name
		}
		d.KindLabel, d.StateLabel = d.Kind.Label(), d.State.Label()
		return d, err
	})
}
