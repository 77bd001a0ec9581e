package store

import (
	"context"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"liangze"
)

// demoNamespace derives the demo's ids, so that seeding twice finds the same rows.
var demoNamespace = uuid.MustParse("6f1c7a52-3b1e-4c55-9d53-2f4b1f0a7e11")

// DemoID returns the id of a demo row, e.g. DemoID("unit", "donghu").
func DemoID(kind, code string) uuid.UUID { return uuid.NewSHA1(demoNamespace, []byte(kind+"/"+code)) }

type demoUnit struct {
	code, parent, nameZH, nameEN string
	kind                         liangze.UnitKind
	party, discipline            string
	primaryFallback, supFallback string
}

// A county, its organs working committee, three towns and two departments; the archives
// bureau has no party committee or discipline body of its own and falls back to the
// organs working committee (seed 003).
var demoUnits = []demoUnit{
	{code: "county", nameZH: "青山县", nameEN: "Qingshan County", kind: liangze.UnitCounty,
		party: "中共青山县委员会", discipline: "青山县纪委监委"},
	{code: "organs", parent: "county", nameZH: "县直机关工委", nameEN: "County Organs Working Committee",
		kind: liangze.UnitOrgansWork, party: "中共青山县直属机关工作委员会", discipline: "县直机关纪工委"},
	{code: "donghu", parent: "county", nameZH: "东湖镇", nameEN: "Donghu Town", kind: liangze.UnitTown,
		party: "中共东湖镇委员会", discipline: "东湖镇纪委"},
	{code: "nanling", parent: "county", nameZH: "南岭镇", nameEN: "Nanling Town", kind: liangze.UnitTown,
		party: "中共南岭镇委员会", discipline: "南岭镇纪委"},
	{code: "xiping", parent: "county", nameZH: "西坪镇", nameEN: "Xiping Town", kind: liangze.UnitTown,
		party: "中共西坪镇委员会", discipline: "西坪镇纪委"},
	{code: "education", parent: "county", nameZH: "县教育局", nameEN: "County Education Bureau",
		kind: liangze.UnitDepartment, party: "县教育局党组", discipline: "县纪委监委派驻第三纪检组"},
	{code: "archives", parent: "county", nameZH: "县档案馆", nameEN: "County Archives", kind: liangze.UnitDepartment,
		primaryFallback: "organs", supFallback: "organs"},
}

type demoPosition struct {
	person, unit, titleZH, titleEN string
	kind                           liangze.PositionKind
	portfolio                      string
	from, until                    string
}

var demoPositions = []demoPosition{
	{"王建国", "county", "县委书记", "County Party Secretary", liangze.PositionFirstResponsible, "", "2021-06-01", ""},
	{"李明", "county", "县纪委书记、监委主任", "Discipline Commission Secretary", liangze.PositionDisciplineHead, "", "2022-01-10", ""},
	{"周立新", "organs", "县直机关工委书记", "Organs Working Committee Secretary", liangze.PositionFirstResponsible, "", "2020-03-01", ""},
	{"郑文", "organs", "县直机关纪工委书记", "Organs Discipline Committee Secretary", liangze.PositionDisciplineHead, "", "2021-03-01", ""},
	{"陈志强", "donghu", "东湖镇党委书记", "Donghu Party Secretary", liangze.PositionFirstResponsible, "", "2024-03-01", ""},
	{"刘海", "donghu", "东湖镇党委书记", "Donghu Party Secretary (former)", liangze.PositionFirstResponsible, "", "2019-05-01", "2024-03-01"},
	{"赵丽", "donghu", "东湖镇镇长", "Donghu Town Head", liangze.PositionLeadershipMember, "政府工作、财政", "2023-01-01", ""},
	{"孙强", "donghu", "东湖镇纪委书记", "Donghu Discipline Secretary", liangze.PositionDisciplineHead, "", "2023-01-01", ""},
	{"黄伟", "nanling", "南岭镇党委书记", "Nanling Party Secretary", liangze.PositionFirstResponsible, "", "2022-02-01", ""},
	{"吴芳", "nanling", "南岭镇纪委书记", "Nanling Discipline Secretary", liangze.PositionDisciplineHead, "", "2022-02-01", ""},
	{"徐刚", "xiping", "西坪镇党委书记", "Xiping Party Secretary", liangze.PositionFirstResponsible, "", "2023-06-01", ""},
	{"马琳", "xiping", "西坪镇纪委书记", "Xiping Discipline Secretary", liangze.PositionDisciplineHead, "", "2023-06-01", ""},
	{"何平", "education", "县教育局党组书记、局长", "Education Bureau Party Group Secretary", liangze.PositionFirstResponsible, "", "2022-09-01", ""},
	{"高洁", "education", "派驻第三纪检组组长", "Stationed Discipline Group Leader", liangze.PositionDisciplineHead, "", "2023-01-01", ""},
	{"林涛", "archives", "县档案馆馆长", "Archives Director", liangze.PositionFirstResponsible, "", "2021-01-01", ""},
}

// DemoUser is a demo account printed by the dev command.
type DemoUser struct {
	Username, DisplayName string
	Role                  liangze.Role
	Scope                 string // unit code
	Person                string // person name, if the user is one
}

// DemoUsers are the demo accounts: an inspector and two supervisors of the county
// discipline commission, Donghu's party secretary as unit leader, a Donghu clerk, Donghu's
// discipline secretary (who signs the supervision part of its task list), the county's party
// secretary (who signs the towns' and departments' letters) and an admin.
var DemoUsers = []DemoUser{
	{"inspector", "张检查（纪检监察干部）", liangze.RoleInspector, "county", ""},
	{"supervisor", "李明（县纪委书记）", liangze.RoleSupervisor, "county", "李明"},
	{"supervisor2", "钱进（县纪委常委）", liangze.RoleSupervisor, "county", ""},
	{"donghu-leader", "陈志强（东湖镇党委书记）", liangze.RoleUnitLeader, "donghu", "陈志强"},
	{"donghu-clerk", "东湖镇填报员", liangze.RoleClerk, "donghu", ""},
	{"donghu-discipline", "孙强（东湖镇纪委书记）", liangze.RoleInspector, "donghu", "孙强"},
	{"county-secretary", "王建国（县委书记）", liangze.RoleUnitLeader, "county", "王建国"},
	{"admin", "系统管理员", liangze.RoleAdmin, "county", ""},
}

// SeedDemo creates the demo org tree, people, positions and users, once.
func (s *Store) SeedDemo(ctx context.Context) error {
	_, err := s.applyOnce(ctx, Event{Key: "seed/demo", Entity: "system", EntityID: "demo", Action: "seed_demo"},
		func(tx pgx.Tx) error {
			if err := seedUnits(ctx, tx); err != nil {
				return err
			}
			if err := seedPositions(ctx, tx); err != nil {
				return err
			}
			return seedUsers(ctx, tx)
		})
	if err != nil {
		return err
	}
	// accounts added to the demo later reach data folders seeded before them
	_, err = s.applyOnce(ctx, Event{Key: "seed/demo-users-3", Entity: "system", EntityID: "demo", Action: "seed_demo_users"},
		func(tx pgx.Tx) error { return seedUsers(ctx, tx) })
	return err
}

func seedUnits(ctx context.Context, tx pgx.Tx) error {
	paths := map[string]string{}
	ref := func(code string) *uuid.UUID {
		if code == "" {
			return nil
		}
		id := DemoID("unit", code)
		return &id
	}
	for _, u := range demoUnits {
		id := DemoID("unit", u.code)
		paths[u.code] = paths[u.parent] + "/" + id.String()
		if u.parent == "" {
			paths[u.code] = "/" + id.String()
		}
		depth := 0
		if u.parent != "" {
			depth = 1
		}
		_, err := tx.Exec(ctx, `
			insert into org_units (id, code, name_zh, name_en, kind, parent_id, path, depth, party_body, discipline_body,
			                       primary_fallback_id, supervisory_fallback_id)
			values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
			id, u.code, u.nameZH, u.nameEN, u.kind, ref(u.parent), paths[u.code]+"/", depth, u.party, u.discipline,
			ref(u.primaryFallback), ref(u.supFallback))
		if err != nil {
			return fmt.Errorf("seed unit %s: %w", u.code, err)
		}
	}
	return nil
}

func seedPositions(ctx context.Context, tx pgx.Tx) error {
	for i, p := range demoPositions {
		person := DemoID("person", p.person)
		if _, err := tx.Exec(ctx, `insert into people (id, name) values ($1, $2) on conflict do nothing`, person, p.person); err != nil {
			return fmt.Errorf("seed person %s: %w", p.person, err)
		}
		from, _ := time.Parse(time.DateOnly, p.from)
		var until *time.Time
		if p.until != "" {
			t, _ := time.Parse(time.DateOnly, p.until)
			until = &t
		}
		_, err := tx.Exec(ctx, `
			insert into positions (id, person_id, unit_id, title_zh, title_en, kind, portfolio, started_on, ended_on)
			values ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
			DemoID("position", fmt.Sprint(i)), person, DemoID("unit", p.unit), p.titleZH, p.titleEN, p.kind,
			p.portfolio, from, until)
		if err != nil {
			return fmt.Errorf("seed position %s: %w", p.titleZH, err)
		}
	}
	return nil
}

func seedUsers(ctx context.Context, tx pgx.Tx) error {
	for _, u := range DemoUsers {
		var person *uuid.UUID
		if u.Person != "" {
			id := DemoID("person", u.Person)
			person = &id
		}
		_, err := tx.Exec(ctx, `
			insert into users (id, username, display_name, role, scope_unit_id, person_id)
			values ($1, $2, $3, $4, $5, $6) on conflict (id) do nothing`,
			DemoID("user", u.Username), u.Username, u.DisplayName, u.Role, DemoID("unit", u.Scope), person)
		if err != nil {
			return fmt.Errorf("seed user %s: %w", u.Username, err)
		}
	}
	return nil
}
