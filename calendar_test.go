package liangze

import (
	"strings"
	"testing"
	"time"
)

func cst(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, ChinaTime)
	if err != nil {
		panic(err)
	}
	return t
}

func official(t *testing.T) *Calendar {
	t.Helper()
	years, err := OfficialCalendars()
	if err != nil {
		t.Fatal(err)
	}
	return NewCalendar(years...)
}

func TestDue(t *testing.T) {
	cal := official(t)
	cases := []struct {
		name    string
		start   string
		period  Period
		due     string
		warning string
	}{
		{"plain week", "2026-03-02 10:00", Period{5, WorkingDays}, "2026-03-10 00:00", ""},
		{"over the Spring Festival week, counting the make-up Saturday before it",
			"2026-02-13 10:00", Period{5, WorkingDays}, "2026-02-28 00:00", ""},
		{"onto a make-up Saturday", "2026-05-08 16:00", Period{1, WorkingDays}, "2026-05-10 00:00", ""},
		{"across the year boundary into New Year's days off", "2025-12-31 09:00", Period{3, WorkingDays}, "2026-01-07 00:00", ""},
		{"into a year without data: plain Monday to Friday, with a warning",
			"2026-12-30 09:00", Period{5, WorkingDays}, "2027-01-07 00:00", "2027"},
		{"calendar days ending on a working day", "2026-03-02 10:00", Period{10, CalendarDays}, "2026-03-13 00:00", ""},
		{"calendar days ending in the National Day holiday run to the next working day",
			"2025-09-26 10:00", Period{5, CalendarDays}, "2025-10-10 00:00", ""},
		{"calendar days ending on a Sunday run to Monday", "2026-03-02 10:00", Period{6, CalendarDays}, "2026-03-10 00:00", ""},
		{"minutes are added as they are", "2026-02-15 10:00", Period{3, Minutes}, "2026-02-15 10:03", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			d, err := cal.Due(cst(c.start), c.period)
			if err != nil {
				t.Fatal(err)
			}
			if want := cst(c.due); !d.At.Equal(want) {
				t.Errorf("due %s, want %s", d.At.In(ChinaTime).Format("2006-01-02 15:04 Mon"), c.due)
			}
			if got := strings.Join(d.Warnings, ";"); (c.warning == "") != (got == "") || !strings.Contains(got, c.warning) {
				t.Errorf("warnings %q, want one naming %q", got, c.warning)
			}
		})
	}
}

func TestBefore(t *testing.T) {
	cal := official(t)
	due := cst("2026-02-28 00:00") // last day Friday 27 February
	for _, c := range []struct {
		p    Period
		want string
	}{
		{Period{1, WorkingDays}, "2026-02-26 09:00"},
		{Period{3, WorkingDays}, "2026-02-24 09:00"},
		{Period{4, WorkingDays}, "2026-02-14 09:00"}, // the make-up Saturday, across the holiday
		{Period{2, CalendarDays}, "2026-02-26 00:00"},
		{Period{30, Minutes}, "2026-02-27 23:30"},
	} {
		if got := cal.Before(due, c.p); !got.Equal(cst(c.want)) {
			t.Errorf("%s before: %s, want %s", c.p.Label().EN, got.In(ChinaTime).Format("2006-01-02 15:04"), c.want)
		}
	}
}

// The shipped data agree with the notices: the days off and make-up workdays they list.
func TestOfficialCalendars(t *testing.T) {
	years, err := OfficialCalendars()
	if err != nil {
		t.Fatal(err)
	}
	want := map[int]struct{ holidays, workdays int }{2025: {28, 5}, 2026: {33, 6}}
	for _, y := range years {
		var h, w int
		for _, d := range y.Days {
			day, _ := time.Parse(time.DateOnly, d.Date)
			if d.Kind == MakeUpWorkday {
				w++
				if wd := day.Weekday(); wd != time.Saturday && wd != time.Sunday {
					t.Errorf("%d: make-up workday %s is a %s", y.Year, d.Date, wd)
				}
			} else {
				h++
			}
		}
		if want[y.Year].holidays != h || want[y.Year].workdays != w {
			t.Errorf("%d: %d holidays and %d make-up workdays, want %+v", y.Year, h, w, want[y.Year])
		}
		if !strings.Contains(y.Source, "国务院办公厅") {
			t.Errorf("%d: source %q does not name the notice", y.Year, y.Source)
		}
	}
	if len(years) != 2 {
		t.Errorf("%d years shipped, want 2025 and 2026", len(years))
	}
}

func TestPeriodAndYearValidation(t *testing.T) {
	if err := (Period{0, WorkingDays}).Validate("p"); ErrorCode(err) != EINVALID {
		t.Error("zero period accepted")
	}
	if err := (Period{5, "weeks"}).Validate("p"); err == nil || !strings.Contains(err.Error(), "p.unit") {
		t.Errorf("unknown unit: %v", err)
	}
	bad := CalendarYear{Year: 2027, Source: "x", Days: []SpecialDay{{Date: "2028-01-01", Kind: Holiday}}}
	if err := bad.Validate(); err == nil || !strings.Contains(err.Error(), "days[0].date") {
		t.Errorf("day outside the year: %v", err)
	}
}
