package store

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"liangze"
)

const unitColumns = `u.id, u.code, u.name_zh, u.name_en, u.kind, u.parent_id, u.depth,
	u.party_body, u.discipline_body, u.primary_fallback_id, u.supervisory_fallback_id`

func scanUnit(r pgx.CollectableRow) (liangze.OrgUnit, error) {
	var u liangze.OrgUnit
	err := r.Scan(&u.ID, &u.Code, &u.Name.ZH, &u.Name.EN, &u.Kind, &u.ParentID, &u.Depth,
		&u.PartyBody, &u.DisciplineBody, &u.PrimaryFallbackID, &u.SupervisoryFallbackID)
	return u, err
}

// Units returns the units of the subtree rooted at root, parents before children.
func (s *Store) Units(ctx context.Context, root uuid.UUID) ([]liangze.OrgUnit, error) {
	rows, err := s.pool.Query(ctx, `
		select `+unitColumns+` from org_units u
		where u.path like (select path from org_units where id = $1) || '%'
		order by u.depth, u.code`, root)
	if err != nil {
		return nil, fmt.Errorf("list units under %s: %w", root, err)
	}
	return pgx.CollectRows(rows, scanUnit)
}

// Unit returns one unit.
func (s *Store) Unit(ctx context.Context, id uuid.UUID) (liangze.OrgUnit, error) {
	rows, _ := s.pool.Query(ctx, `select `+unitColumns+` from org_units u where u.id = $1`, id)
	u, err := pgx.CollectExactlyOneRow(rows, scanUnit)
	if err != nil {
		return u, notFound(err, "unit", id)
	}
	return u, nil
}

// InSubtree reports whether unit lies in the subtree rooted at root (root included).
func (s *Store) InSubtree(ctx context.Context, root, unit uuid.UUID) (bool, error) {
	var ok bool
	err := s.pool.QueryRow(ctx, `
		select coalesce((select u.path like r.path || '%'
			from org_units u, org_units r where u.id = $2 and r.id = $1), false)`,
		root, unit).Scan(&ok)
	if err != nil {
		return false, fmt.Errorf("check unit %s under %s: %w", unit, root, err)
	}
	return ok, nil
}

// Subjects returns who carries the primary responsibility (主体责任) and the supervisory
// responsibility (监督责任) for a unit, applying the fallback of seed 003 where the unit
// has no party committee or discipline body of its own.
func (s *Store) Subjects(ctx context.Context, u liangze.OrgUnit) (primary, supervisory liangze.ResponsibilitySubject, err error) {
	primary, err = s.subject(ctx, u, u.PartyBody, u.PrimaryFallbackID, func(f liangze.OrgUnit) string { return f.PartyBody })
	if err != nil {
		return primary, supervisory, err
	}
	supervisory, err = s.subject(ctx, u, u.DisciplineBody, u.SupervisoryFallbackID, func(f liangze.OrgUnit) string { return f.DisciplineBody })
	return primary, supervisory, err
}

func (s *Store) subject(ctx context.Context, u liangze.OrgUnit, own string, fallback *uuid.UUID, body func(liangze.OrgUnit) string) (liangze.ResponsibilitySubject, error) {
	if own != "" || fallback == nil {
		return liangze.ResponsibilitySubject{UnitID: u.ID, UnitName: u.Name, Body: own}, nil
	}
	f, err := s.Unit(ctx, *fallback)
	if err != nil {
		return liangze.ResponsibilitySubject{}, fmt.Errorf("fallback subject of %s: %w", u.Code, err)
	}
	return liangze.ResponsibilitySubject{UnitID: f.ID, UnitName: f.Name, Body: body(f), Fallback: true}, nil
}

const positionQuery = `
	select p.id, p.person_id, pe.name, p.unit_id, p.title_zh, p.title_en, p.kind, p.portfolio, p.started_on, p.ended_on
	from positions p join people pe on pe.id = p.person_id `

func (s *Store) positions(ctx context.Context, where string, args ...any) ([]liangze.Position, error) {
	rows, err := s.pool.Query(ctx, positionQuery+where+` order by
		array_position(array['first_responsible','leadership_member','discipline_head','staff'], p.kind),
		p.ended_on desc nulls first, p.started_on`, args...)
	if err != nil {
		return nil, err
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (liangze.Position, error) {
		var p liangze.Position
		err := r.Scan(&p.ID, &p.PersonID, &p.Person, &p.UnitID, &p.Title.ZH, &p.Title.EN, &p.Kind,
			&p.Portfolio, &p.StartedOn, &p.EndedOn)
		return p, err
	})
}

// Positions returns the positions held in a unit, the first responsible person first and
// current holders before former ones; with currentOnly, only those held now.
func (s *Store) Positions(ctx context.Context, unitID uuid.UUID, currentOnly bool) ([]liangze.Position, error) {
	ps, err := s.positions(ctx, `where p.unit_id = $1 and (not $2 or p.ended_on is null or p.ended_on > current_date)`,
		unitID, currentOnly)
	if err != nil {
		return nil, fmt.Errorf("positions of unit %s: %w", unitID, err)
	}
	return ps, nil
}

// PersonPositions returns every position a person held or holds, current ones first.
func (s *Store) PersonPositions(ctx context.Context, person uuid.UUID) ([]liangze.Position, error) {
	ps, err := s.positions(ctx, `where p.person_id = $1`, person)
	if err != nil {
		return nil, fmt.Errorf("positions of person %s: %w", person, err)
	}
	return ps, nil
}

// Person returns one person.
func (s *Store) Person(ctx context.Context, id uuid.UUID) (liangze.Person, error) {
	var p liangze.Person
	err := s.pool.QueryRow(ctx, `select id, name from people where id = $1`, id).Scan(&p.ID, &p.Name)
	if err != nil {
		return p, notFound(err, "person", id)
	}
	return p, nil
}

// PersonHoldsPositionIn reports whether the person holds or held a position in the unit.
func (s *Store) PersonHoldsPositionIn(ctx context.Context, person, unit uuid.UUID) (bool, error) {
	var ok bool
	err := s.pool.QueryRow(ctx, `select exists(select 1 from positions where person_id = $1 and unit_id = $2)`,
		person, unit).Scan(&ok)
	if err != nil {
		return false, fmt.Errorf("positions of person %s in unit %s: %w", person, unit, err)
	}
	return ok, nil
}

// User returns one user.
func (s *Store) User(ctx context.Context, id uuid.UUID) (liangze.User, error) {
	return s.user(ctx, "id", id)
}

// UserByName returns the user with the given username.
func (s *Store) UserByName(ctx context.Context, username string) (liangze.User, error) {
	return s.user(ctx, "username", username)
}

// user returns the user whose column (id or username) holds v.
func (s *Store) user(ctx context.Context, column string, v any) (liangze.User, error) {
	var u liangze.User
	err := s.pool.QueryRow(ctx, `select id, username, display_name, role, scope_unit_id, person_id from users where `+
		column+` = $1`, v).Scan(&u.ID, &u.Username, &u.DisplayName, &u.Role, &u.ScopeUnitID, &u.PersonID)
	if err != nil {
		return u, notFound(err, "user", v)
	}
	return u, nil
}

// RootUnits returns the ids of the units at the top of the tree.
func (s *Store) RootUnits(ctx context.Context) ([]uuid.UUID, error) {
	rows, err := s.pool.Query(ctx, `select id from org_units where parent_id is null order by code`)
	if err != nil {
		return nil, fmt.Errorf("root units: %w", err)
	}
	return pgx.CollectRows(rows, pgx.RowTo[uuid.UUID])
}
