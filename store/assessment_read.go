package store

import (
	"context"
	"fmt"
	"sort"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"liangze"
)

const assessmentColumns = `a.id, a.workflow_id, a.parent_unit_id, u.name_zh, u.name_en, a.year, a.bottom_n, a.state, a.opened_at, a.closed_at`

const assessmentFrom = ` from assessments a join org_units u on u.id = a.parent_unit_id`

func scanAssessment(row pgx.CollectableRow) (liangze.Assessment, error) {
	var a liangze.Assessment
	err := row.Scan(&a.ID, &a.WorkflowID, &a.ParentID, &a.ParentName.ZH, &a.ParentName.EN, &a.Year, &a.BottomN, &a.State,
		&a.OpenedAt, &a.ClosedAt)
	a.StateLabel = a.State.Label()
	return a, err
}

// Assessment returns a round with its indicators and each unit's scores and result, best
// ranked first once closed.
func (s *Store) Assessment(ctx context.Context, id uuid.UUID) (liangze.Assessment, error) {
	rows, _ := s.pool.Query(ctx, `select `+assessmentColumns+assessmentFrom+` where a.id = $1`, id)
	a, err := pgx.CollectExactlyOneRow(rows, scanAssessment)
	if err != nil {
		return a, notFound(err, "assessment", id)
	}
	if a.Indicators, err = s.Indicators(ctx, a.Year); err != nil {
		return a, err
	}
	if a.Units, err = scoredUnits(ctx, s.pool, a.ID, a.ParentID, a.Indicators); err != nil {
		return a, err
	}
	byUnit := map[uuid.UUID]*liangze.UnitAssessment{}
	for i := range a.Units {
		byUnit[a.Units[i].UnitID] = &a.Units[i]
	}
	if err := s.fillResults(ctx, a.ID, byUnit); err != nil {
		return a, err
	}
	if a.State == liangze.AssessmentClosed {
		sort.SliceStable(a.Units, func(i, j int) bool { return *a.Units[i].Rank < *a.Units[j].Rank })
	}
	return a, nil
}

func (s *Store) fillResults(ctx context.Context, id uuid.UUID, byUnit map[uuid.UUID]*liangze.UnitAssessment) error {
	rows, err := s.pool.Query(ctx, `select unit_id, total::float8, rank, bottom, award_eligible, escalation_id
		from assessment_results where assessment_id = $1`, id)
	if err != nil {
		return fmt.Errorf("results of assessment %s: %w", id, err)
	}
	defer rows.Close()
	for rows.Next() {
		var unit uuid.UUID
		var total float64
		var rank int
		var bottom, eligible bool
		var esc *uuid.UUID
		if err := rows.Scan(&unit, &total, &rank, &bottom, &eligible, &esc); err != nil {
			return err
		}
		if u := byUnit[unit]; u != nil {
			u.Total, u.Rank, u.Bottom, u.AwardEligible, u.EscalationID = &total, &rank, bottom, &eligible, esc
		}
	}
	return rows.Err()
}

// AssessmentFilter selects rounds of a year in the caller's scope.
type AssessmentFilter struct {
	Scope         uuid.UUID
	Year          int
	Limit, Offset int
}

// Assessments returns one page of a year's rounds (without their units).
func (s *Store) Assessments(ctx context.Context, f AssessmentFilter) ([]liangze.Assessment, int, error) {
	q := inSubtree(f.Scope)
	q.add(`a.year = $%d`, f.Year)
	return page(ctx, s, "assessments", assessmentColumns, assessmentFrom, q, "u.depth, u.code", f.Limit, f.Offset, scanAssessment)
}

// IntegrityFile returns a person's integrity file (廉政档案), newest first.
func (s *Store) IntegrityFile(ctx context.Context, person uuid.UUID) ([]liangze.IntegrityEntry, error) {
	rows, err := s.pool.Query(ctx, `select f.id, f.person_id, f.year, f.unit_id, u.name_zh, u.name_en, f.kind, f.title_zh, f.title_en,
		f.detail, f.recorded_at from integrity_file f join org_units u on u.id = f.unit_id
		where f.person_id = $1 order by f.year desc, f.id desc`, person)
	if err != nil {
		return nil, fmt.Errorf("integrity file of %s: %w", person, err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (liangze.IntegrityEntry, error) {
		var e liangze.IntegrityEntry
		err := r.Scan(&e.ID, &e.PersonID, &e.Year, &e.UnitID, &e.UnitName.ZH, &e.UnitName.EN, &e.Kind, &e.Title.ZH, &e.Title.EN,
			&e.Detail, &e.RecordedAt)
		return e, err
	})
}
