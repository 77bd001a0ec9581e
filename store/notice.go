package store

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"liangze"
)

// Notice is a bimonthly exposure notice (双月通报曝光) of serious typical cases.
type Notice struct {
	ID         uuid.UUID      `json:"id"`
	WorkflowID string         `json:"workflow_id"`
	RootUnitID uuid.UUID      `json:"root_unit_id"`
	From       time.Time      `json:"period_from"`
	To         time.Time      `json:"period_to"`
	State      string         `json:"state"` // draft, published, rejected
	CaseIDs    []uuid.UUID    `json:"case_ids"`
	Cases      []liangze.Case `json:"cases"`
	DraftedAt  time.Time      `json:"drafted_at"`
	DecidedBy  *uuid.UUID     `json:"decided_by,omitempty"`
	DecidedAt  *time.Time     `json:"decided_at,omitempty"`
	Comment    string         `json:"comment,omitempty"`
}

// SeriousTypicalCases returns the serious cases put forward as typical cases in the reports
// of the subtree under root accepted in [from, to).
func (s *Store) SeriousTypicalCases(ctx context.Context, root uuid.UUID, from, to time.Time) ([]uuid.UUID, error) {
	rows, err := s.pool.Query(ctx, `
		select distinct c.id from quarterly_reports r join org_units u on u.id = r.unit_id
		cross join lateral jsonb_array_elements_text(coalesce(r.form->'typical_cases', '[]')) t(id)
		join cases c on c.id = t.id::uuid
		where r.state = 'accepted' and r.reviewed_at >= $2 and r.reviewed_at < $3 and c.severity = 'serious'
		  and u.path like (select path from org_units where id = $1) || '%'
		order by c.id`, root, from, to)
	if err != nil {
		return nil, fmt.Errorf("serious typical cases: %w", err)
	}
	return pgx.CollectRows(rows, pgx.RowTo[uuid.UUID])
}

// DraftNotice stores a notice draft with its cases, once.
func (s *Store) DraftNotice(ctx context.Context, n Notice) error {
	ev := Event{Key: n.WorkflowID + "/draft", Entity: "notice", EntityID: n.ID.String(), Action: "draft_notice",
		Detail: map[string]any{"from": n.From, "to": n.To, "cases": n.CaseIDs}}
	_, err := s.applyOnce(ctx, ev, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `insert into exposure_notices (id, workflow_id, root_unit_id, period_from, period_to, case_ids, drafted_at)
			values ($1, $2, $3, $4, $5, $6, $7)`, n.ID, n.WorkflowID, n.RootUnitID, n.From, n.To, n.CaseIDs, n.DraftedAt)
		return err
	})
	return err
}

// DecideNotice publishes the notice or rejects it, once per key.
func (s *Store) DecideNotice(ctx context.Context, key string, id, actor uuid.UUID, publish bool, comment string, at time.Time) error {
	state, action := "published", "publish_notice"
	if !publish {
		state, action = "rejected", "reject_notice"
	}
	ev := Event{Key: key, ActorID: &actor, Entity: "notice", EntityID: id.String(), Action: action, Detail: map[string]any{"comment": comment}}
	_, err := s.applyOnce(ctx, ev, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `update exposure_notices set state = $2, decided_by = $3, decided_at = $4, comment = $5 where id = $1`,
			id, state, actor, at, comment)
		return err
	})
	return err
}

const noticeColumns = `id, workflow_id, root_unit_id, period_from, period_to, state, case_ids, drafted_at, decided_by, decided_at, comment`

func scanNotice(r pgx.CollectableRow) (Notice, error) {
	var n Notice
	err := r.Scan(&n.ID, &n.WorkflowID, &n.RootUnitID, &n.From, &n.To, &n.State, &n.CaseIDs, &n.DraftedAt, &n.DecidedBy, &n.DecidedAt, &n.Comment)
	return n, err
}

// NoticeByID returns a notice with its cases.
func (s *Store) NoticeByID(ctx context.Context, id uuid.UUID) (Notice, error) {
	rows, _ := s.pool.Query(ctx, `select `+noticeColumns+` from exposure_notices where id = $1`, id)
	n, err := pgx.CollectExactlyOneRow(rows, scanNotice)
	if err != nil {
		return n, notFound(err, "notice", id)
	}
	n.Cases = []liangze.Case{}
	for _, cid := range n.CaseIDs {
		c, err := s.Case(ctx, cid)
		if err != nil {
			return n, err
		}
		n.Cases = append(n.Cases, c)
	}
	return n, nil
}

// Notices returns the notices of roots in the subtree of scope, newest first; published only
// unless drafts is set.
func (s *Store) Notices(ctx context.Context, scope uuid.UUID, drafts bool) ([]Notice, error) {
	rows, err := s.pool.Query(ctx, `select n.`+noticeColumnsN+` from exposure_notices n join org_units u on u.id = n.root_unit_id
		where (u.path like (select path from org_units where id = $1) || '%'
		       or (select path from org_units where id = $1) like u.path || '%')
		  and ($2 or n.state = 'published') order by n.period_from desc`, scope, drafts)
	if err != nil {
		return nil, fmt.Errorf("notices: %w", err)
	}
	return pgx.CollectRows(rows, scanNotice)
}

const noticeColumnsN = `id, n.workflow_id, n.root_unit_id, n.period_from, n.period_to, n.state, n.case_ids, n.drafted_at, n.decided_by, n.decided_at, n.comment`
