package store_test

import (
	"context"
	"testing"

	"liangze"
	"liangze/store"
)

func TestCalendarShippedAndCorrectedByAdmin(t *testing.T) {
	s := seeded(t)
	ctx := context.Background()
	y, ok, err := s.CalendarYear(ctx, 2026)
	if err != nil || !ok || len(y.Days) != 39 || y.Source == "" {
		t.Fatalf("2026 after migration: ok=%t, %d days, source %q, %v", ok, len(y.Days), y.Source, err)
	}
	if _, ok, _ := s.CalendarYear(ctx, 2027); ok {
		t.Fatal("2027 has data nobody loaded")
	}
	admin := store.DemoID("user", "admin")
	fix := liangze.CalendarYear{Year: 2026, Source: "更正：测试", Days: []liangze.SpecialDay{{Date: "2026-01-01", Kind: liangze.Holiday, Name: "元旦"}}}
	if err := s.PutCalendarYear(ctx, fix, admin); err != nil {
		t.Fatal(err)
	}
	if err := s.EnsureOfficialCalendars(ctx); err != nil { // a later migration must not undo the correction
		t.Fatal(err)
	}
	y, _, _ = s.CalendarYear(ctx, 2026)
	if len(y.Days) != 1 || y.Source != "更正：测试" {
		t.Errorf("corrected 2026 = %+v", y)
	}
	trail, _ := s.AuditTrail(ctx, "calendar", "2026")
	if len(trail) != 2 || trail[1].Action != "put_calendar_year" || trail[1].ActorID == nil || *trail[1].ActorID != admin {
		t.Errorf("calendar audit trail: %+v", trail)
	}
	bad := liangze.CalendarYear{Year: 2026, Source: "x", Days: []liangze.SpecialDay{{Date: "2026-13-01", Kind: liangze.Holiday}}}
	if err := s.PutCalendarYear(ctx, bad, admin); liangze.ErrorCode(err) != liangze.EINVALID {
		t.Errorf("bad date: %v", err)
	}
}
