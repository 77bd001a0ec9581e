package store

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"liangze"
)

const caseColumns = `c.id, c.workflow_id, c.unit_id, u.name_zh, u.name_en, c.person_id, p.name, c.clue_source, c.summary,
	c.category, c.evidence, c.violation_date, c.escalation_id, c.stage, coalesce(c.outcome, ''), c.opened_by, c.opened_at,
	c.filing_decided_by, c.filing_comment, c.violation_finding, c.violation_established, c.stage_due_at,
	c.stage_due_rule_zh, c.stage_due_rule_en, c.stage_overdue, c.closed_at, c.severity`

const caseFrom = ` from cases c join org_units u on u.id = c.unit_id join people p on p.id = c.person_id`

func scanCase(r pgx.CollectableRow) (liangze.Case, error) {
	var c liangze.Case
	err := r.Scan(&c.ID, &c.WorkflowID, &c.UnitID, &c.UnitName.ZH, &c.UnitName.EN, &c.PersonID, &c.PersonName,
		&c.ClueSource, &c.Summary, &c.Category, &c.Evidence, &c.ViolationDate, &c.EscalationID, &c.Stage, &c.Outcome,
		&c.OpenedBy, &c.OpenedAt, &c.FilingDecidedBy, &c.FilingComment, &c.ViolationFinding, &c.ViolationEstablished,
		&c.StageDueAt, &c.StageDueRule.ZH, &c.StageDueRule.EN, &c.StageOverdue, &c.ClosedAt, &c.Severity)
	c.StageLabel = c.Stage.Label()
	return c, err
}

// Case returns one case with its levels, findings and decision.
func (s *Store) Case(ctx context.Context, id uuid.UUID) (liangze.Case, error) {
	rows, _ := s.pool.Query(ctx, `select `+caseColumns+caseFrom+` where c.id = $1`, id)
	c, err := pgx.CollectExactlyOneRow(rows, scanCase)
	if err != nil {
		return c, notFound(err, "case", id)
	}
	rows, err = s.pool.Query(ctx, `
		select l.level, l.unit_id, u.name_zh, u.name_en, l.state, l.evidence, l.primary_at_fault, l.supervisory_at_fault,
		       l.summary, l.recorded_by, l.recorded_at
		from case_levels l join org_units u on u.id = l.unit_id where l.case_id = $1 order by l.level`, id)
	if err == nil {
		c.Levels, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (liangze.CaseLevel, error) {
			var l liangze.CaseLevel
			var evidence map[string]any
			err := r.Scan(&l.Level, &l.UnitID, &l.UnitName.ZH, &l.UnitName.EN, &l.State, &evidence, &l.PrimaryAtFault,
				&l.SupervisoryAtFault, &l.Summary, &l.RecordedBy, &l.RecordedAt)
			l.Evidence = evidence
			return l, err
		})
	}
	if err == nil {
		rows, err = s.pool.Query(ctx, `select f.level, f.person_id, p.name, f.collective, f.direct, f.former, f.description
			from case_findings f join people p on p.id = f.person_id where f.case_id = $1 order by f.level, p.name`, id)
	}
	if err == nil {
		c.Findings, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (liangze.Finding, error) {
			var f liangze.Finding
			err := r.Scan(&f.Level, &f.PersonID, &f.PersonName, &f.Collective, &f.Direct, &f.Former, &f.Description)
			return f, err
		})
	}
	if err == nil {
		rows, err = s.pool.Query(ctx, `select d.person_id, p.name, d.form, d.basis
			from case_decisions d join people p on p.id = d.person_id where d.case_id = $1 order by p.name, d.form`, id)
	}
	if err == nil {
		c.Decisions, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (liangze.DecisionForm, error) {
			var d liangze.DecisionForm
			err := r.Scan(&d.PersonID, &d.PersonName, &d.Form, &d.Basis)
			d.FormLabel = d.Form.Label()
			return d, err
		})
	}
	if err != nil {
		return c, fmt.Errorf("case %s: %w", id, err)
	}
	return c, nil
}

// CaseFilter selects cases for a list; Scope (the caller's subtree) always applies.
type CaseFilter struct {
	Scope         uuid.UUID
	Unit          *uuid.UUID
	Stage         liangze.CaseStage
	From, To      *time.Time // opened in [From, To)
	Limit, Offset int
}

// Cases returns one page of cases, newest first, and how many match in all.
func (s *Store) Cases(ctx context.Context, f CaseFilter) ([]liangze.Case, int, error) {
	q := inSubtree(f.Scope)
	q.underUnit(f.Unit)
	if f.Stage != "" {
		q.add(`c.stage = $%d`, f.Stage)
	}
	if f.From != nil {
		q.add(`c.opened_at >= $%d`, *f.From)
	}
	if f.To != nil {
		q.add(`c.opened_at < $%d`, *f.To)
	}
	return page(ctx, s, "cases", caseColumns, caseFrom, q, "c.opened_at desc, c.id", f.Limit, f.Offset, scanCase)
}

// CaseStats are the counts of decided cases for the quarterly report (责任追究季报表).
type CaseStats struct {
	Cases                  int            `json:"cases"`
	PersonsHeldAccountable int            `json:"persons_held_accountable"`
	ByForm                 map[string]int `json:"by_form"`
	// ByLevel counts persons by the level at which they were found responsible: 0 the
	// violation itself, 1 the unit's leadership, 2 and up the units above.
	ByLevel map[string]int `json:"by_level"`
	// TwoInvestigations counts cases whose responsibility investigation ran (一案双查).
	TwoInvestigations int `json:"one_case_two_investigations"`
	// TracedUpward counts cases where responsibility was traced above the unit.
	TracedUpward int `json:"traced_upward"`
}

// CaseStats counts the cases decided in [from, to) in the subtree of scope.
func (s *Store) CaseStats(ctx context.Context, scope uuid.UUID, from, to time.Time) (CaseStats, error) {
	return s.caseStats(ctx, `u.path like (select path from org_units where id = $1) || '%'`, scope, from, to)
}

// UnitCaseStats counts the cases decided in [from, to) in the unit itself, not below it.
func (s *Store) UnitCaseStats(ctx context.Context, unit uuid.UUID, from, to time.Time) (CaseStats, error) {
	return s.caseStats(ctx, `c.unit_id = $1`, unit, from, to)
}

// caseStats counts decided cases whose unit (u) meets where, with $1 the unit, in one
// statement: the decided cases are read once and every count is taken from them.
func (s *Store) caseStats(ctx context.Context, where string, unit uuid.UUID, from, to time.Time) (CaseStats, error) {
	st := CaseStats{ByForm: map[string]int{}, ByLevel: map[string]int{}}
	err := s.pool.QueryRow(ctx, `
		with d as materialized (
			select c.id from cases c join org_units u on u.id = c.unit_id
			where c.outcome = 'decided' and c.closed_at >= $2 and c.closed_at < $3 and `+where+`
		), traced as materialized (
			select l.case_id, max(l.level) as top from case_levels l join d on d.id = l.case_id group by l.case_id
		), persons as materialized (
			select x.case_id, x.person_id, min(f.level) as level
			from case_decisions x join d on d.id = x.case_id
			left join case_findings f on f.case_id = x.case_id and f.person_id = x.person_id
			group by x.case_id, x.person_id
		)
		select (select count(*) from d),
		       (select count(*) from traced),
		       (select count(*) from traced where top > 1),
		       (select count(*) from persons),
		       coalesce((select jsonb_object_agg(form, n) from (select x.form, count(*) as n
		           from case_decisions x join d on d.id = x.case_id group by x.form) f), '{}'),
		       coalesce((select jsonb_object_agg(level, n) from (select level::text, count(*) as n
		           from persons where level is not null group by level) l), '{}')`,
		unit, from, to).Scan(&st.Cases, &st.TwoInvestigations, &st.TracedUpward, &st.PersonsHeldAccountable, &st.ByForm, &st.ByLevel)
	if err != nil {
		return st, fmt.Errorf("case stats: %w", err)
	}
	return st, nil
}
