package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"liangze"
	"liangze/store"
	"liangze/store/storetest"
)

func TestMain(m *testing.M) { storetest.Main(m) }

func seeded(t *testing.T) *store.Store {
	t.Helper()
	s := storetest.New(t)
	if err := s.SeedDemo(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s
}

func TestMigrateTwiceIsANoop(t *testing.T) {
	url := storetest.URL(t)
	v, err := store.Migrate(context.Background(), url)
	if err != nil || v < 1 {
		t.Fatalf("migrate again: version %d, %v", v, err)
	}
}

func TestSeedDemoTwiceAndFallbackSubjects(t *testing.T) {
	s := seeded(t)
	ctx := context.Background()
	if err := s.SeedDemo(ctx); err != nil {
		t.Fatalf("second seed: %v", err)
	}
	units, err := s.Units(ctx, store.DemoID("unit", "county"))
	if err != nil || len(units) != 7 {
		t.Fatalf("units: %d, %v", len(units), err)
	}
	archives, err := s.Unit(ctx, store.DemoID("unit", "archives"))
	if err != nil {
		t.Fatal(err)
	}
	primary, supervisory, err := s.Subjects(ctx, archives)
	if err != nil {
		t.Fatal(err)
	}
	organs := store.DemoID("unit", "organs")
	if !primary.Fallback || primary.UnitID != organs || !strings.Contains(primary.Body, "直属机关工作委员会") {
		t.Errorf("primary subject of archives = %+v, want fallback to organs working committee", primary)
	}
	if !supervisory.Fallback || supervisory.Body != "县直机关纪工委" {
		t.Errorf("supervisory subject of archives = %+v, want fallback to 纪工委", supervisory)
	}
	donghu, _ := s.Unit(ctx, store.DemoID("unit", "donghu"))
	primary, _, _ = s.Subjects(ctx, donghu)
	if primary.Fallback || primary.UnitID != donghu.ID {
		t.Errorf("primary subject of donghu = %+v, want its own committee", primary)
	}
	current, _ := s.Positions(ctx, donghu.ID, true)
	all, _ := s.Positions(ctx, donghu.ID, false)
	if len(all) != len(current)+1 {
		t.Errorf("donghu positions: %d current of %d, want the former secretary left out", len(current), len(all))
	}
}

func TestAuditLogIsAppendOnly(t *testing.T) {
	s := seeded(t)
	ctx := context.Background()
	for _, sql := range []string{"update audit_log set action = 'x'", "delete from audit_log", "truncate audit_log"} {
		if err := s.ExecForTest(ctx, sql); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("%s: err = %v, want refused as append-only", sql, err)
		}
	}
}

func openEscalation(t *testing.T, s *store.Store) (uuid.UUID, string) {
	t.Helper()
	id := uuid.New()
	wf := "escalation/" + id.String()
	inspector := store.DemoID("user", "inspector")
	person := store.DemoID("person", "陈志强")
	err := s.OpenEscalation(context.Background(), store.NewEscalation{ID: id, WorkflowID: wf,
		UnitID: store.DemoID("unit", "donghu"), PersonID: &person, Trigger: "inspector_proposal",
		Problem: "落实主体责任不力", Severity: liangze.SeverityGeneral, Level: liangze.LevelInterview,
		OpenedBy: &inspector, OpenedAt: time.Now()})
	if err != nil {
		t.Fatal(err)
	}
	return id, wf
}

func TestEscalationChangesHappenOnce(t *testing.T) {
	s := seeded(t)
	ctx := context.Background()
	id, wf := openEscalation(t, s)
	inspector, supervisor := store.DemoID("user", "inspector"), store.DemoID("user", "supervisor")
	propose := store.StepChange{Key: wf + "/1/propose", EscalationID: id, StepNo: 1, Actor: &inspector, At: time.Now()}
	for range 3 { // a retried activity must not add the step or its audit record again
		if err := s.ProposeStep(ctx, propose, liangze.LevelInterview, "约谈", nil); err != nil {
			t.Fatal(err)
		}
	}
	decide := store.StepChange{Key: wf + "/1/decide", EscalationID: id, StepNo: 1, Actor: &supervisor, At: time.Now()}
	if err := s.DecideStep(ctx, decide, true, "同意"); err != nil {
		t.Fatal(err)
	}
	e, err := s.Escalation(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if len(e.Steps) != 1 || e.Steps[0].State != liangze.StepAwaitingTalk || e.CurrentStep != 1 {
		t.Fatalf("escalation = %+v", e)
	}
	trail, _ := s.AuditTrail(ctx, "escalation", id.String())
	var actions []string
	for _, a := range trail {
		actions = append(actions, a.Action)
	}
	if got := strings.Join(actions, ","); got != "open,propose_step,approve_step" {
		t.Errorf("audit trail = %s", got)
	}
}

func TestFourEyesHeldByTheDatabase(t *testing.T) {
	s := seeded(t)
	ctx := context.Background()
	id, wf := openEscalation(t, s)
	inspector := store.DemoID("user", "inspector")
	c := store.StepChange{Key: wf + "/1/propose", EscalationID: id, StepNo: 1, Actor: &inspector, At: time.Now()}
	if err := s.ProposeStep(ctx, c, liangze.LevelInterview, "", nil); err != nil {
		t.Fatal(err)
	}
	c.Key = wf + "/1/decide"
	if err := s.DecideStep(ctx, c, true, "self"); err == nil {
		t.Fatal("a step approved by its proposer was stored")
	}
	e, _ := s.Escalation(ctx, id)
	if e.Steps[0].State != liangze.StepAwaitingApproval {
		t.Errorf("step state = %s after refused decision", e.Steps[0].State)
	}
	trail, _ := s.AuditTrail(ctx, "escalation", id.String())
	if len(trail) != 2 {
		t.Errorf("audit trail has %d records, want the refused decision rolled back", len(trail))
	}
}

func TestReminderStoredOncePerRecipient(t *testing.T) {
	s := seeded(t)
	ctx := context.Background()
	id, _ := openEscalation(t, s)
	leader := store.DemoID("user", "donghu-leader")
	due := time.Now().Add(time.Hour)
	r := store.NewReminder{DedupeKey: "escalation/" + id.String() + "/1/" + due.Format(time.RFC3339) + "/before",
		Kind: "due_soon", Title: liangze.Label{ZH: "整改即将到期", EN: "Rectification due soon"}, EscalationID: &id, DueAt: &due}
	first, err := s.Remind(ctx, r, []uuid.UUID{leader})
	if err != nil || len(first) != 1 {
		t.Fatalf("first remind: %d, %v", len(first), err)
	}
	again, err := s.Remind(ctx, r, []uuid.UUID{leader})
	if err != nil || len(again) != 0 {
		t.Fatalf("retried remind stored %d, %v", len(again), err)
	}
	inbox, total, err := s.Inbox(ctx, leader, true, 10, 0)
	if err != nil || total != 1 || len(inbox) != 1 {
		t.Fatalf("inbox: %d/%d, %v", len(inbox), total, err)
	}
	if err := s.MarkRead(ctx, leader, inbox[0].ID); err != nil {
		t.Fatal(err)
	}
	if _, total, _ = s.Inbox(ctx, leader, true, 10, 0); total != 0 {
		t.Errorf("unread after mark read = %d", total)
	}
	if err := s.MarkRead(ctx, store.DemoID("user", "inspector"), inbox[0].ID); liangze.ErrorCode(err) != liangze.ENOTFOUND {
		t.Errorf("marking another user's reminder: %v, want not found", err)
	}
}

func TestEscalationListFilters(t *testing.T) {
	s := seeded(t)
	ctx := context.Background()
	for range 3 {
		openEscalation(t, s)
	}
	county, donghu, nanling := store.DemoID("unit", "county"), store.DemoID("unit", "donghu"), store.DemoID("unit", "nanling")
	page, total, err := s.Escalations(ctx, store.EscalationFilter{Scope: county, Limit: 2})
	if err != nil || total != 3 || len(page) != 2 {
		t.Fatalf("page 1: %d of %d, %v", len(page), total, err)
	}
	page, _, _ = s.Escalations(ctx, store.EscalationFilter{Scope: county, Limit: 2, Offset: 2})
	if len(page) != 1 {
		t.Errorf("page 2 has %d", len(page))
	}
	if _, total, _ = s.Escalations(ctx, store.EscalationFilter{Scope: nanling, Limit: 10}); total != 0 {
		t.Errorf("nanling scope sees %d of donghu's escalations", total)
	}
	if _, total, _ = s.Escalations(ctx, store.EscalationFilter{Scope: county, Unit: &donghu, Level: liangze.LevelInterview,
		State: liangze.EscalationOpen, Limit: 10}); total != 3 {
		t.Errorf("filtered total = %d, want 3", total)
	}
	if _, total, _ = s.Escalations(ctx, store.EscalationFilter{Scope: county, Level: liangze.LevelInquiry, Limit: 10}); total != 0 {
		t.Errorf("level filter: %d", total)
	}
}
