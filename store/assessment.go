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

const assessmentEntity = "assessment"

// AssessmentChange is one change to an assessment round; Key makes it happen once.
type AssessmentChange struct {
	Key          string
	AssessmentID uuid.UUID
	Actor        *uuid.UUID
	At           time.Time
}

func (c AssessmentChange) event(action string, detail map[string]any) Event {
	return Event{Key: c.Key, ActorID: c.Actor, Entity: assessmentEntity, EntityID: c.AssessmentID.String(), Action: action, Detail: detail}
}

// Indicators returns a year's assessment indicators: those set for it, else the defaults.
func (s *Store) Indicators(ctx context.Context, year int) ([]liangze.Indicator, error) {
	return indicators(ctx, s.pool, year)
}

func indicators(ctx context.Context, q querier, year int) ([]liangze.Indicator, error) {
	rows, err := q.Query(ctx, `select code, name_zh, name_en, weight::float8 from assessment_indicators
		where year = $1 order by position`, year)
	if err != nil {
		return nil, fmt.Errorf("indicators of %d: %w", year, err)
	}
	ins, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (liangze.Indicator, error) {
		var in liangze.Indicator
		err := r.Scan(&in.Code, &in.Name.ZH, &in.Name.EN, &in.Weight)
		return in, err
	})
	if err == nil && len(ins) == 0 {
		ins = liangze.DefaultIndicators
	}
	return ins, err
}

// SetIndicators replaces a year's indicators and weights, refused once a round of that
// year has been ranked (its results would no longer add up).
func (s *Store) SetIndicators(ctx context.Context, key string, actor uuid.UUID, year int, ins []liangze.Indicator) error {
	ev := Event{Key: key, ActorID: &actor, Entity: "assessment_indicators", EntityID: fmt.Sprint(year), Action: "set_indicators",
		Detail: map[string]any{"indicators": ins}}
	_, err := s.applyOnce(ctx, ev, func(tx pgx.Tx) error {
		var closed bool
		if err := tx.QueryRow(ctx, `select exists (select 1 from assessments where year = $1 and state = 'closed')`, year).Scan(&closed); err != nil {
			return err
		}
		if closed {
			return liangze.Errorf(liangze.ECONFLICT, "%d has a ranked assessment: its indicators can no longer change", year)
		}
		return replaceIndicators(ctx, tx, year, ins)
	})
	return err
}

func replaceIndicators(ctx context.Context, tx pgx.Tx, year int, ins []liangze.Indicator) error {
	if _, err := tx.Exec(ctx, `delete from assessment_indicators where year = $1`, year); err != nil {
		return err
	}
	for i, in := range ins {
		if _, err := tx.Exec(ctx, `insert into assessment_indicators (year, code, name_zh, name_en, weight, position)
			values ($1, $2, $3, $4, $5, $6)`, year, in.Code, in.Name.ZH, in.Name.EN, in.Weight, i); err != nil {
			return fmt.Errorf("store indicator %s: %w", in.Code, err)
		}
	}
	return nil
}

// OpenAssessment stores a round ranking the units directly under parent, and fixes the
// year's indicators (the defaults, if none were set).
func (s *Store) OpenAssessment(ctx context.Context, c AssessmentChange, workflowID string, parent uuid.UUID, year, bottomN int) error {
	ev := c.event("open_assessment", map[string]any{"parent_unit_id": parent, "year": year, "bottom_n": bottomN})
	_, err := s.applyOnce(ctx, ev, func(tx pgx.Tx) error {
		ins, err := indicators(ctx, tx, year)
		if err != nil {
			return err
		}
		if err := replaceIndicators(ctx, tx, year, ins); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `insert into assessments (id, workflow_id, parent_unit_id, year, bottom_n, opened_by, opened_at)
			values ($1, $2, $3, $4, $5, $6, $7)`, c.AssessmentID, workflowID, parent, year, bottomN, c.Actor, c.At)
		return err
	})
	return err
}

// SaveScores stores an assessor's scores of one unit under the round's parent.
func (s *Store) SaveScores(ctx context.Context, c AssessmentChange, unit uuid.UUID, scores map[string]float64) error {
	ev := c.event("score_unit", map[string]any{"unit_id": unit, "scores": scores})
	_, err := s.applyOnce(ctx, ev, func(tx pgx.Tx) error {
		r, err := lockAssessment(ctx, tx, c.AssessmentID)
		if err != nil {
			return err
		}
		if r.state != liangze.AssessmentScoring {
			return liangze.Errorf(liangze.ECONFLICT, "the assessment is ranked already: scores can no longer change")
		}
		var under bool
		if err := tx.QueryRow(ctx, `select exists (select 1 from org_units where id = $1 and parent_id = $2)`, unit, r.parent).Scan(&under); err != nil {
			return err
		}
		if !under {
			return liangze.FieldError("unit_id", "unit %s is not directly under the assessing unit", unit)
		}
		ins, err := indicators(ctx, tx, r.year)
		if err != nil {
			return err
		}
		if err := liangze.ValidateScores(scores, ins); err != nil {
			return err
		}
		for code, score := range scores {
			if _, err := tx.Exec(ctx, `insert into assessment_scores (assessment_id, unit_id, indicator, score, assessor_id, scored_at)
				values ($1, $2, $3, $4, $5, $6) on conflict (assessment_id, unit_id, indicator)
				do update set score = excluded.score, assessor_id = excluded.assessor_id, scored_at = excluded.scored_at`,
				c.AssessmentID, unit, code, score, c.Actor, c.At); err != nil {
				return fmt.Errorf("store score %s: %w", code, err)
			}
		}
		return nil
	})
	return err
}

type lockedAssessment struct {
	parent  uuid.UUID
	year    int
	bottomN int
	state   liangze.AssessmentState
}

func lockAssessment(ctx context.Context, tx pgx.Tx, id uuid.UUID) (lockedAssessment, error) {
	var r lockedAssessment
	err := tx.QueryRow(ctx, `select parent_unit_id, year, bottom_n, state from assessments where id = $1 for update`, id).
		Scan(&r.parent, &r.year, &r.bottomN, &r.state)
	if err != nil {
		return r, notFound(err, "assessment", id)
	}
	return r, nil
}

// BottomUnit is a unit ranked in the bottom N, with its head for the interview (约谈).
type BottomUnit struct {
	UnitID uuid.UUID
	Name   liangze.Label
	HeadID *uuid.UUID
	Total  float64
	Rank   int
}

// CloseAssessment ranks the units by weighted total, marks the bottom N (who lose award
// eligibility for the year), archives each result in the integrity file of every leader in
// post, and returns the bottom units. A unit not fully scored blocks it, named.
func (s *Store) CloseAssessment(ctx context.Context, c AssessmentChange) ([]BottomUnit, error) {
	var bottom []BottomUnit
	applied, err := s.applyOnce(ctx, c.event("close_assessment", nil), func(tx pgx.Tx) error {
		r, err := lockAssessment(ctx, tx, c.AssessmentID)
		if err != nil {
			return err
		}
		if r.state != liangze.AssessmentScoring {
			return liangze.Errorf(liangze.ECONFLICT, "the assessment is ranked already")
		}
		ins, err := indicators(ctx, tx, r.year)
		if err != nil {
			return err
		}
		units, err := scoredUnits(ctx, tx, c.AssessmentID, r.parent, ins)
		if err != nil {
			return err
		}
		totals := map[uuid.UUID]float64{}
		var unscored []string
		for _, u := range units {
			if len(u.Missing) > 0 {
				unscored = append(unscored, u.UnitName.ZH+"（"+strings.Join(u.Missing, "、")+"）")
			}
			total, _ := liangze.WeightedTotal(u.Scores, ins)
			totals[u.UnitID] = total
		}
		if len(unscored) > 0 {
			return liangze.Errorf(liangze.ECONFLICT, "尚未评分 / not fully scored: %s", strings.Join(unscored, "；"))
		}
		ranked := liangze.RankUnits(totals, r.bottomN)
		bottom, err = storeResults(ctx, tx, c, r, units, ranked)
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `update assessments set state = 'closed', closed_by = $2, closed_at = $3 where id = $1`,
			c.AssessmentID, c.Actor, c.At)
		return err
	})
	if err == nil && !applied {
		bottom, err = s.bottomUnits(ctx, c) // a retry after the close committed
	}
	return bottom, err
}
