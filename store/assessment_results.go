package store

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"liangze"
)

// scoredUnits returns the units directly under parent with their scores in the round and
// the indicators each still lacks.
func scoredUnits(ctx context.Context, q querier, id, parent uuid.UUID, ins []liangze.Indicator) ([]liangze.UnitAssessment, error) {
	rows, err := q.Query(ctx, `select u.id, u.name_zh, u.name_en,
			coalesce(jsonb_object_agg(sc.indicator, sc.score) filter (where sc.indicator is not null), '{}')
		from org_units u left join assessment_scores sc on sc.unit_id = u.id and sc.assessment_id = $1
		where u.parent_id = $2 group by u.id order by u.code`, id, parent)
	if err != nil {
		return nil, fmt.Errorf("scores of assessment %s: %w", id, err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (liangze.UnitAssessment, error) {
		var u liangze.UnitAssessment
		err := r.Scan(&u.UnitID, &u.UnitName.ZH, &u.UnitName.EN, &u.Scores)
		_, u.Missing = liangze.WeightedTotal(u.Scores, ins)
		return u, err
	})
}

// storeResults stores the ranking and archives each unit's result with its leaders.
func storeResults(ctx context.Context, tx pgx.Tx, c AssessmentChange, r lockedAssessment, units []liangze.UnitAssessment,
	ranked []liangze.Ranked) ([]BottomUnit, error) {
	names := map[uuid.UUID]liangze.Label{}
	for _, u := range units {
		names[u.UnitID] = u.UnitName
	}
	bottom := []BottomUnit{}
	for _, x := range ranked {
		if _, err := tx.Exec(ctx, `insert into assessment_results (assessment_id, unit_id, total, rank, bottom, award_eligible)
			values ($1, $2, $3, $4, $5, $6)`, c.AssessmentID, x.UnitID, x.Total, x.Rank, x.Bottom, !x.Bottom); err != nil {
			return nil, fmt.Errorf("store result of %s: %w", x.UnitID, err)
		}
		if err := archiveResult(ctx, tx, c, r, x, len(ranked)); err != nil {
			return nil, err
		}
		if x.Bottom {
			head, err := unitHead(ctx, tx, x.UnitID, c)
			if err != nil {
				return nil, err
			}
			bottom = append(bottom, BottomUnit{UnitID: x.UnitID, Name: names[x.UnitID], HeadID: head, Total: x.Total, Rank: x.Rank})
		}
	}
	return bottom, nil
}

// archiveResult puts a unit's result into the integrity file of each of its leaders in post.
func archiveResult(ctx context.Context, tx pgx.Tx, c AssessmentChange, r lockedAssessment, x liangze.Ranked, of int) error {
	leaders, err := unitLeaders(ctx, tx, x.UnitID, c.At)
	if err != nil {
		return err
	}
	title := liangze.Label{ZH: fmt.Sprintf("%d年度党风廉政建设责任制考核：第%d名（共%d个单位），%.2f分", r.year, x.Rank, of, x.Total),
		EN: fmt.Sprintf("%d responsibility assessment: ranked %d of %d, %.2f points", r.year, x.Rank, of, x.Total)}
	if x.Bottom {
		title.ZH += "，排名末位，取消年度评优资格"
		title.EN += "; bottom-ranked, no awards this year"
	}
	for _, l := range leaders {
		_, err := tx.Exec(ctx, `insert into integrity_file (person_id, year, unit_id, kind, title_zh, title_en, detail, source_key, recorded_at)
			values ($1, $2, $3, 'assessment', $4, $5, $6, $7, $8) on conflict (source_key) do nothing`,
			l.PersonID, r.year, x.UnitID, title.ZH, title.EN, map[string]any{"assessment_id": c.AssessmentID, "total": x.Total,
				"rank": x.Rank, "of": of, "bottom": x.Bottom, "award_eligible": !x.Bottom, "position": l.Title},
			fmt.Sprintf("%s/%s/%s", c.AssessmentID, x.UnitID, l.PersonID), c.At)
		if err != nil {
			return fmt.Errorf("archive result for %s: %w", l.Name, err)
		}
	}
	return nil
}

// unitHead returns the unit's first responsible person in post at the change, if any.
func unitHead(ctx context.Context, q querier, unit uuid.UUID, c AssessmentChange) (*uuid.UUID, error) {
	leaders, err := unitLeaders(ctx, q, unit, c.At)
	if err != nil {
		return nil, err
	}
	for _, l := range leaders {
		if l.Kind == liangze.PositionFirstResponsible {
			return &l.PersonID, nil
		}
	}
	return nil, nil
}

// bottomUnits reads back a closed round's bottom units, with their heads at the change.
func (s *Store) bottomUnits(ctx context.Context, c AssessmentChange) ([]BottomUnit, error) {
	rows, err := s.pool.Query(ctx, `select r.unit_id, u.name_zh, u.name_en, r.total::float8, r.rank
		from assessment_results r join org_units u on u.id = r.unit_id
		where r.assessment_id = $1 and r.bottom order by r.rank, u.code`, c.AssessmentID)
	if err != nil {
		return nil, fmt.Errorf("bottom units of %s: %w", c.AssessmentID, err)
	}
	bottom, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (BottomUnit, error) {
		var b BottomUnit
		err := r.Scan(&b.UnitID, &b.Name.ZH, &b.Name.EN, &b.Total, &b.Rank)
		return b, err
	})
	for i := range bottom {
		if err == nil {
			bottom[i].HeadID, err = unitHead(ctx, s.pool, bottom[i].UnitID, c)
		}
	}
	return bottom, err
}

// LinkAssessmentEscalation records the interview escalation opened for a bottom unit.
func (s *Store) LinkAssessmentEscalation(ctx context.Context, c AssessmentChange, unit, escalation uuid.UUID) error {
	ev := c.event("bottom_interview", map[string]any{"unit_id": unit, "escalation_id": escalation})
	_, err := s.applyOnce(ctx, ev, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `update assessment_results set escalation_id = $3 where assessment_id = $1 and unit_id = $2`,
			c.AssessmentID, unit, escalation)
		return err
	})
	return err
}
