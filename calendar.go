package liangze

import (
	"fmt"
	"sort"
	"time"
)

// ChinaTime is the time zone deadlines are counted in (China Standard Time, no DST).
var ChinaTime = time.FixedZone("CST", 8*3600)

// PeriodUnit is what a period counts.
type PeriodUnit string

const (
	CalendarDays PeriodUnit = "calendar_days" // 日（自然日）
	WorkingDays  PeriodUnit = "working_days"  // 工作日, on the official calendar with 调休
	Minutes      PeriodUnit = "minutes"       // for demos
)

// Period is a deadline rule such as "5 个工作日": a count and what it counts.
type Period struct {
	N    int        `json:"n"`
	Unit PeriodUnit `json:"unit"`
}

// IsZero reports whether no period is set.
func (p Period) IsZero() bool { return p.N == 0 && p.Unit == "" }

// Label returns the rule in zh-CN and English, e.g. "5 个工作日" / "5 working days".
func (p Period) Label() Label {
	switch p.Unit {
	case WorkingDays:
		return Label{fmt.Sprintf("%d 个工作日", p.N), fmt.Sprintf("%d working days", p.N)}
	case CalendarDays:
		return Label{fmt.Sprintf("%d 日", p.N), fmt.Sprintf("%d calendar days", p.N)}
	case Minutes:
		return Label{fmt.Sprintf("%d 分钟", p.N), fmt.Sprintf("%d minutes", p.N)}
	}
	return Label{}
}

// Validate checks the period, naming field in its error.
func (p Period) Validate(field string) error {
	switch p.Unit {
	case WorkingDays, CalendarDays, Minutes:
	default:
		return FieldError(field+".unit", "unit must be working_days, calendar_days or minutes")
	}
	if p.N < 1 || p.N > 3650 {
		return FieldError(field+".n", "n must be from 1 to 3650")
	}
	return nil
}

// DayKind says how a special day departs from the Monday-to-Friday week.
type DayKind string

const (
	Holiday       DayKind = "holiday" // 放假
	MakeUpWorkday DayKind = "workday" // 调休上班
)

// SpecialDay is a holiday or a make-up workday.
type SpecialDay struct {
	Date string  `json:"date"` // YYYY-MM-DD
	Kind DayKind `json:"kind"`
	Name string  `json:"name,omitempty"`
}

// CalendarYear is one year's official holiday arrangement (the State Council General
// Office's notice for that year), with its source named.
type CalendarYear struct {
	Year   int          `json:"year"`
	Source string       `json:"source"`
	Days   []SpecialDay `json:"days"`
}

// Validate checks every day lies in the year, is named once and has a known kind.
func (y CalendarYear) Validate() error {
	if y.Year < 2000 || y.Year > 2100 {
		return FieldError("year", "year must be from 2000 to 2100")
	}
	if y.Source == "" {
		return FieldError("source", "source is required: name the notice the arrangement comes from")
	}
	seen := map[string]bool{}
	for i, d := range y.Days {
		t, err := time.Parse(time.DateOnly, d.Date)
		field := fmt.Sprintf("days[%d]", i)
		switch {
		case err != nil:
			return FieldError(field+".date", "%q is not a date (YYYY-MM-DD)", d.Date)
		case t.Year() != y.Year:
			return FieldError(field+".date", "%s is not in %d", d.Date, y.Year)
		case seen[d.Date]:
			return FieldError(field+".date", "%s is listed twice", d.Date)
		case d.Kind != Holiday && d.Kind != MakeUpWorkday:
			return FieldError(field+".kind", "kind must be holiday or workday")
		}
		seen[d.Date] = true
	}
	return nil
}

// Calendar tells working days from rest days: Monday to Friday, less holidays, plus
// make-up workdays, for the years it has data for; plain Monday to Friday otherwise.
type Calendar struct {
	known map[int]bool
	days  map[string]DayKind
}

// NewCalendar returns a calendar with the given years' arrangements.
func NewCalendar(years ...CalendarYear) *Calendar {
	c := &Calendar{known: map[int]bool{}, days: map[string]DayKind{}}
	for _, y := range years {
		c.known[y.Year] = true
		for _, d := range y.Days {
			c.days[d.Date] = d.Kind
		}
	}
	return c
}

// IsWorkingDay reports whether the day (its date in China time) is a working day.
func (c *Calendar) IsWorkingDay(day time.Time) bool {
	day = day.In(ChinaTime)
	switch c.days[day.Format(time.DateOnly)] {
	case Holiday:
		return false
	case MakeUpWorkday:
		return true
	}
	wd := day.Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// Deadline is a due time computed from a rule, with warnings where the calendar lacked data.
type Deadline struct {
	At       time.Time `json:"at"`
	Rule     Label     `json:"rule"`
	Warnings []string  `json:"warnings,omitempty"`
}

// Due returns the deadline of a period starting at start. Day periods do not count the
// starting day and end at 24:00 (China time) of their last day; a calendar-day period whose
// last day is a rest day runs to the end of the next working day (as the Civil Code, art.
// 203, counts periods). Minutes are added as they are.
func (c *Calendar) Due(start time.Time, p Period) (Deadline, error) {
	if err := p.Validate("period"); err != nil {
		return Deadline{}, err
	}
	d := Deadline{Rule: p.Label()}
	if p.Unit == Minutes {
		d.At = start.Add(time.Duration(p.N) * time.Minute)
		return d, nil
	}
	day := midnight(start)
	touched := map[int]bool{day.Year(): true}
	if p.Unit == CalendarDays {
		day = day.AddDate(0, 0, p.N)
		touched[day.Year()] = true
		for !c.IsWorkingDay(day) {
			day = day.AddDate(0, 0, 1)
			touched[day.Year()] = true
		}
	} else {
		for n := 0; n < p.N; {
			day = day.AddDate(0, 0, 1)
			touched[day.Year()] = true
			if c.IsWorkingDay(day) {
				n++
			}
		}
	}
	d.At = day.AddDate(0, 0, 1)
	d.Warnings = c.missing(touched)
	return d, nil
}

// Before returns when a reminder "p before due" goes out: for working days, 09:00 of the
// p.N-th working day before the last day of the deadline; otherwise due less the period.
func (c *Calendar) Before(due time.Time, p Period) time.Time {
	switch p.Unit {
	case Minutes:
		return due.Add(-time.Duration(p.N) * time.Minute)
	case CalendarDays:
		return due.AddDate(0, 0, -p.N)
	}
	day := midnight(due.Add(-time.Second))
	for n := 0; n < p.N; {
		day = day.AddDate(0, 0, -1)
		if c.IsWorkingDay(day) {
			n++
		}
	}
	return day.Add(9 * time.Hour)
}

func (c *Calendar) missing(years map[int]bool) []string {
	var ys []int
	for y := range years {
		ys = append(ys, y)
	}
	return c.Warnings(ys...)
}

// Warnings returns a warning for each of the years the calendar has no data for.
func (c *Calendar) Warnings(years ...int) []string {
	var out []string
	for _, y := range years {
		if !c.known[y] {
			out = append(out, fmt.Sprintf("%d 年无节假日安排数据，按周一至周五计算 / no holiday arrangement for %d: counted Monday to Friday", y, y))
		}
	}
	sort.Strings(out)
	return out
}

func midnight(t time.Time) time.Time {
	t = t.In(ChinaTime)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, ChinaTime)
}
