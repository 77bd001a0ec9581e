package store

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"liangze"
)

const escalationEntity = "escalation"

// NewEscalation is what opening an escalation stores.
type NewEscalation struct {
	ID         uuid.UUID
	WorkflowID string
	UnitID     uuid.UUID
	PersonID   *uuid.UUID
	Trigger    string
	Problem    string
	Severity   liangze.Severity
	Level      liangze.Level
	OpenedBy   *uuid.UUID
	OpenedAt   time.Time
}

// OpenEscalation stores a new escalation and its problem-list entry (问题清单), once.
func (s *Store) OpenEscalation(ctx context.Context, e NewEscalation) error {
	ev := Event{Key: e.WorkflowID + "/open", ActorID: e.OpenedBy, Entity: escalationEntity, EntityID: e.ID.String(),
		Action: "open", Detail: map[string]any{"unit_id": e.UnitID, "person_id": e.PersonID, "level": e.Level,
			"severity": e.Severity, "trigger": e.Trigger}}
	_, err := s.applyOnce(ctx, ev, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `
			insert into escalations (id, workflow_id, unit_id, person_id, trigger, problem, severity, level, opened_by, opened_at)
			values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
			e.ID, e.WorkflowID, e.UnitID, e.PersonID, e.Trigger, e.Problem, e.Severity, e.Level, e.OpenedBy, e.OpenedAt)
		if err != nil {
			if isForeignKeyViolation(err) {
				return liangze.Errorf(liangze.EINVALID, "unit, person or user of escalation %s does not exist", e.ID)
			}
			return err
		}
		_, err = tx.Exec(ctx, `
			insert into problems (id, escalation_id, unit_id, severity, description, created_at)
			values ($1, $2, $3, $4, $5, $6)`,
			uuid.NewSHA1(e.ID, []byte("problem")), e.ID, e.UnitID, e.Severity, e.Problem, e.OpenedAt)
		return err
	})
	return err
}

// StepChange is one change to a step of an escalation. Key makes it happen once.
type StepChange struct {
	Key          string
	EscalationID uuid.UUID
	StepNo       int
	Actor        *uuid.UUID
	At           time.Time
}

func (c StepChange) event(action string, detail map[string]any) Event {
	if detail == nil {
		detail = map[string]any{}
	}
	detail["step_no"] = c.StepNo
	return Event{Key: c.Key, ActorID: c.Actor, Entity: escalationEntity, EntityID: c.EscalationID.String(),
		Action: action, Detail: detail}
}

// ProposeStep adds step c.StepNo at the given level. A step that needs no approval (the
// automatic reminder) starts rectifying at once, with the given deadline.
func (s *Store) ProposeStep(ctx context.Context, c StepChange, level liangze.Level, reason string, due *liangze.Deadline) error {
	state := liangze.StepAwaitingApproval
	var d liangze.Deadline
	if !level.NeedsApproval() && due != nil {
		state, d = liangze.StepRectifying, *due
	}
	ev := c.event("propose_step", map[string]any{"level": level, "reason": reason, "due": due})
	_, err := s.applyOnce(ctx, ev, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `
			insert into escalation_steps (escalation_id, step_no, level, state, reason, proposed_by, proposed_at,
			                              due_at, due_rule_zh, due_rule_en, due_warnings)
			values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
			c.EscalationID, c.StepNo, level, state, reason, c.Actor, c.At, nullTime(d.At), d.Rule.ZH, d.Rule.EN,
			nonNil(d.Warnings)); err != nil {
			return err
		}
		return setCurrentStep(ctx, tx, c.EscalationID, c.StepNo, level)
	})
	return err
}

func setCurrentStep(ctx context.Context, tx pgx.Tx, id uuid.UUID, no int, level liangze.Level) error {
	_, err := tx.Exec(ctx, `update escalations set current_step = $2, level = $3 where id = $1`, id, no, level)
	return err
}

// DecideStep records a supervisor's approval or rejection of a proposed step.
func (s *Store) DecideStep(ctx context.Context, c StepChange, approve bool, comment string) error {
	state, action := liangze.StepAwaitingTalk, "approve_step"
	if !approve {
		state, action = liangze.StepRejected, "reject_step"
	}
	return s.updateStep(ctx, c.event(action, map[string]any{"comment": comment}), `
		update escalation_steps set state = $3, decided_by = $4, decided_at = $5, decision_comment = $6
		where escalation_id = $1 and step_no = $2`,
		c.EscalationID, c.StepNo, state, c.Actor, c.At, comment)
}

// RecordTalk stores the talk held at an approved step, with the rectification
// requirements and deadline (整改期限) it set.
func (s *Store) RecordTalk(ctx context.Context, c StepChange, talk liangze.Talk, requirements string, due liangze.Deadline) error {
	ev := c.event("record_talk", map[string]any{"conducted_by": talk.ConductedBy, "held_at": talk.HeldAt,
		"requirements": requirements, "due": due})
	return s.updateStep(ctx, ev, `
		update escalation_steps set state = $3, talk = $4, requirements = $5, due_at = $6, due_rule_zh = $7,
		       due_rule_en = $8, due_warnings = $9
		where escalation_id = $1 and step_no = $2`,
		c.EscalationID, c.StepNo, liangze.StepRectifying, talk, requirements, due.At, due.Rule.ZH, due.Rule.EN,
		nonNil(due.Warnings))
}

func nullTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// SubmitRectification stores the unit's rectification report for a step.
func (s *Store) SubmitRectification(ctx context.Context, c StepChange, report string) error {
	return s.updateStep(ctx, c.event("submit_rectification", map[string]any{"report": report}), `
		update escalation_steps set state = $3, rectification_report = $4, submitted_by = $5, submitted_at = $6
		where escalation_id = $1 and step_no = $2`,
		c.EscalationID, c.StepNo, liangze.StepSubmitted, report, c.Actor, c.At)
}

// VerifyRectification stores whether the rectification was accepted; a refused one goes
// back to rectifying.
func (s *Store) VerifyRectification(ctx context.Context, c StepChange, accepted bool, comment string) error {
	state, action := liangze.StepVerified, "verify_rectification"
	if !accepted {
		state, action = liangze.StepRectifying, "refuse_rectification"
	}
	return s.updateStep(ctx, c.event(action, map[string]any{"comment": comment}), `
		update escalation_steps set state = $3, verified_by = $4, verified_at = $5, verification_comment = $6
		where escalation_id = $1 and step_no = $2`,
		c.EscalationID, c.StepNo, state, c.Actor, c.At, comment)
}

// MarkOverdue records that a step's deadline passed without verified rectification.
func (s *Store) MarkOverdue(ctx context.Context, c StepChange) error {
	return s.updateStep(ctx, c.event("mark_overdue", nil), `
		update escalation_steps set state = $3 where escalation_id = $1 and step_no = $2`,
		c.EscalationID, c.StepNo, liangze.StepOverdue)
}

// HandOver records the hand-over of an escalation at the top of the ladder to
// accountability (问责), for the one-case-two-investigations process to pick up.
func (s *Store) HandOver(ctx context.Context, c StepChange, summary string) error {
	ev := c.event("hand_over", map[string]any{"summary": summary})
	_, err := s.applyOnce(ctx, ev, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `
			insert into accountability_handovers (escalation_id, unit_id, person_id, summary, created_at)
			select id, unit_id, person_id, $2, $3 from escalations where id = $1`,
			c.EscalationID, summary, c.At); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `update escalation_steps set state = $3 where escalation_id = $1 and step_no = $2`,
			c.EscalationID, c.StepNo, liangze.StepHandedOver)
		return err
	})
	return err
}

// CloseEscalation closes an escalation with its outcome; a rectified one also closes
// (销号) its problem-list entry.
func (s *Store) CloseEscalation(ctx context.Context, c StepChange, outcome liangze.EscalationState) error {
	ev := c.event("close", map[string]any{"outcome": outcome})
	_, err := s.applyOnce(ctx, ev, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `update escalations set state = $2, closed_at = $3 where id = $1`,
			c.EscalationID, outcome, c.At); err != nil {
			return err
		}
		if outcome != liangze.EscalationRectified {
			return nil
		}
		_, err := tx.Exec(ctx, `update problems set status = 'closed', closed_at = $2 where escalation_id = $1`,
			c.EscalationID, c.At)
		return err
	})
	return err
}

func (s *Store) updateStep(ctx context.Context, ev Event, sql string, args ...any) error {
	_, err := s.applyOnce(ctx, ev, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, sql, args...)
		if err != nil {
			return err
		}
		if tag.RowsAffected() != 1 {
			return liangze.Errorf(liangze.ENOTFOUND, "step %v of escalation %s not found", args[1], args[0])
		}
		return nil
	})
	return err
}

// RescheduleDeadline moves a step's deadline after the calendar changed, recording the old
// and new deadline in the audit log.
func (s *Store) RescheduleDeadline(ctx context.Context, c StepChange, due liangze.Deadline) error {
	var old *time.Time
	err := s.pool.QueryRow(ctx, `select due_at from escalation_steps where escalation_id = $1 and step_no = $2`,
		c.EscalationID, c.StepNo).Scan(&old)
	if err != nil {
		return notFound(err, "step of escalation", c.EscalationID)
	}
	ev := c.event("reschedule_deadline", map[string]any{"old_due_at": old, "due": due})
	return s.updateStep(ctx, ev, `
		update escalation_steps set due_at = $3, due_rule_zh = $4, due_rule_en = $5, due_warnings = $6
		where escalation_id = $1 and step_no = $2`,
		c.EscalationID, c.StepNo, due.At, due.Rule.ZH, due.Rule.EN, nonNil(due.Warnings))
}

// OpenDeadlines returns the workflow ids of open escalations in the subtree of scope whose
// current step is running against a deadline.
func (s *Store) OpenDeadlines(ctx context.Context, scope uuid.UUID) ([]string, error) {
	rows, err := s.pool.Query(ctx, `
		select e.workflow_id from escalations e
		join org_units u on u.id = e.unit_id
		join escalation_steps st on st.escalation_id = e.id and st.step_no = e.current_step
		where e.state = 'open' and st.state in ('rectifying', 'submitted')
		  and u.path like (select path from org_units where id = $1) || '%'
		order by e.opened_at`, scope)
	if err != nil {
		return nil, fmt.Errorf("open deadlines under %s: %w", scope, err)
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}
