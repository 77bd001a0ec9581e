package store

import (
	"context"
	"fmt"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"liangze"
)

// EnsureOfficialCalendars stores the shipped holiday arrangements for the years that have
// none yet; a year an admin has loaded or corrected is left as it is.
func (s *Store) EnsureOfficialCalendars(ctx context.Context) error {
	years, err := liangze.OfficialCalendars()
	if err != nil {
		return err
	}
	for _, y := range years {
		ev := Event{Key: fmt.Sprintf("calendar/official/%d", y.Year), Entity: "calendar", EntityID: fmt.Sprint(y.Year),
			Action: "load_official_calendar", Detail: map[string]any{"source": y.Source, "days": len(y.Days)}}
		if _, err := s.applyOnce(ctx, ev, func(tx pgx.Tx) error {
			var exists bool
			if err := tx.QueryRow(ctx, `select exists(select 1 from calendar_years where year = $1)`, y.Year).Scan(&exists); err != nil || exists {
				return err
			}
			return putYear(ctx, tx, y, nil)
		}); err != nil {
			return err
		}
	}
	return nil
}

// PutCalendarYear loads or replaces one year's arrangement, recording who did it and
// what changed in the audit log. Deadlines already computed are not touched.
func (s *Store) PutCalendarYear(ctx context.Context, y liangze.CalendarYear, actor uuid.UUID) error {
	if err := y.Validate(); err != nil {
		return err
	}
	old, _, err := s.CalendarYear(ctx, y.Year)
	if err != nil {
		return err
	}
	ev := Event{ActorID: &actor, Entity: "calendar", EntityID: fmt.Sprint(y.Year), Action: "put_calendar_year",
		Detail: map[string]any{"source": y.Source, "before": old.Days, "after": y.Days}}
	_, err = s.applyOnce(ctx, ev, func(tx pgx.Tx) error { return putYear(ctx, tx, y, &actor) })
	return err
}

func putYear(ctx context.Context, tx pgx.Tx, y liangze.CalendarYear, actor *uuid.UUID) error {
	if _, err := tx.Exec(ctx, `
		insert into calendar_years (year, source, updated_at, updated_by) values ($1, $2, now(), $3)
		on conflict (year) do update set source = excluded.source, updated_at = now(), updated_by = excluded.updated_by`,
		y.Year, y.Source, actor); err != nil {
		return err
	}
	if _, err := tx.Exec(ctx, `delete from calendar_days where year = $1`, y.Year); err != nil {
		return err
	}
	for _, d := range y.Days {
		if _, err := tx.Exec(ctx, `insert into calendar_days (day, year, kind, name) values ($1, $2, $3, $4)`,
			d.Date, y.Year, d.Kind, d.Name); err != nil {
			return fmt.Errorf("calendar day %s: %w", d.Date, err)
		}
	}
	return nil
}

// CalendarYear returns one year's arrangement, and false if the year has none.
func (s *Store) CalendarYear(ctx context.Context, year int) (liangze.CalendarYear, bool, error) {
	years, err := s.CalendarYears(ctx, year, year)
	if err != nil || len(years) == 0 {
		return liangze.CalendarYear{Year: year, Days: []liangze.SpecialDay{}}, false, err
	}
	return years[0], true, nil
}

// CalendarYears returns the arrangements of the years from..to that have one.
func (s *Store) CalendarYears(ctx context.Context, from, to int) ([]liangze.CalendarYear, error) {
	rows, err := s.pool.Query(ctx, `
		select y.year, y.source, d.day::text, d.kind, d.name
		from calendar_years y left join calendar_days d on d.year = y.year
		where y.year between $1 and $2 order by y.year, d.day`, from, to)
	if err != nil {
		return nil, fmt.Errorf("calendar %d-%d: %w", from, to, err)
	}
	defer rows.Close()
	var years []liangze.CalendarYear
	for rows.Next() {
		var year int
		var source string
		var day, kind, name *string
		if err := rows.Scan(&year, &source, &day, &kind, &name); err != nil {
			return nil, err
		}
		if len(years) == 0 || years[len(years)-1].Year != year {
			years = append(years, liangze.CalendarYear{Year: year, Source: source, Days: []liangze.SpecialDay{}})
		}
		if day != nil {
			y := &years[len(years)-1]
			y.Days = append(y.Days, liangze.SpecialDay{Date: *day, Kind: liangze.DayKind(*kind), Name: *name})
		}
	}
	return years, rows.Err()
}

// Calendar returns the working-day calendar for deadlines starting in year: the stored
// arrangements of that year and the next eleven (a period of up to 3650 days).
func (s *Store) Calendar(ctx context.Context, year int) (*liangze.Calendar, error) {
	years, err := s.CalendarYears(ctx, year, year+11)
	if err != nil {
		return nil, err
	}
	return liangze.NewCalendar(years...), nil
}
