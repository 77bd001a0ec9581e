package api

import (
	"net/http"
	"strconv"
	"time"

	"github.com/gin-gonic/gin"

	"liangze"
	"liangze/workflows"
)

// yearOf parses a year from a path or query value.
func yearOf(v string) (int, error) {
	y, err := strconv.Atoi(v)
	if err != nil || y < 2000 || y > 2100 {
		return 0, liangze.FieldError("year", "year is required, from 2000 to 2100")
	}
	return y, nil
}

// calendarYear is a year's arrangement as the API shows it; a year without data says so.
type calendarYear struct {
	liangze.CalendarYear
	HasData bool   `json:"has_data"`
	Warning string `json:"warning,omitempty"`
}

func (s *Server) getCalendarYear(c *gin.Context) {
	year, err := yearOf(c.Param("year"))
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	y, ok, err := s.Store.CalendarYear(c.Request.Context(), year)
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	out := calendarYear{CalendarYear: y, HasData: ok}
	if !ok {
		out.Warning = liangze.NewCalendar().Warnings(year)[0]
	}
	c.JSON(http.StatusOK, out)
}

type calendarRequest struct {
	Source string               `json:"source"`
	Days   []liangze.SpecialDay `json:"days"`
}

// putCalendarYear loads or corrects a year (admin). Deadlines already computed stay as
// they are.
func (s *Server) putCalendarYear(c *gin.Context) {
	u := caller(c)
	year, err := yearOf(c.Param("year"))
	var r calendarRequest
	if err == nil {
		err = requireRole(u, liangze.RoleAdmin)
	}
	if err == nil {
		err = bindJSON(c, &r)
	}
	if err == nil {
		err = s.Store.PutCalendarYear(c.Request.Context(), liangze.CalendarYear{Year: year, Source: r.Source, Days: r.Days}, u.ID)
	}
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	s.Log.Info("calendar year loaded", "year", year, "days", len(r.Days), "source", r.Source, "by", u.Username)
	s.getCalendarYear(c)
}

// dueDate computes a deadline on the stored calendar: ?start=RFC3339 (default now), n, unit.
func (s *Server) dueDate(c *gin.Context) {
	start := time.Now()
	if v := c.Query("start"); v != "" {
		t, err := time.Parse(time.RFC3339, v)
		if err != nil {
			fail(c, s.Log, liangze.FieldError("start", "start must be an RFC 3339 time, e.g. 2026-02-13T10:00:00+08:00"))
			return
		}
		start = t
	}
	n, err := strconv.Atoi(c.Query("n"))
	if err != nil {
		fail(c, s.Log, liangze.FieldError("n", "n must be a whole number"))
		return
	}
	p := liangze.Period{N: n, Unit: liangze.PeriodUnit(c.Query("unit"))}
	if err := p.Validate("period"); err != nil {
		fail(c, s.Log, err)
		return
	}
	cal, err := s.Store.Calendar(c.Request.Context(), start.In(liangze.ChinaTime).Year())
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	d, err := cal.Due(start, p)
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	if d.Warnings == nil {
		d.Warnings = []string{}
	}
	c.JSON(http.StatusOK, gin.H{"start": start, "due_at": d.At, "due_at_local": d.At.In(liangze.ChinaTime).Format("2006-01-02 15:04 MST"),
		"rule": d.Rule, "warnings": d.Warnings})
}

// recomputeDeadlines tells every open escalation in the admin's scope that runs against a
// deadline to recompute it on the calendar as it is now (admin). Each records the change,
// if any, in its timeline.
func (s *Server) recomputeDeadlines(c *gin.Context) {
	u := caller(c)
	if err := requireRole(u, liangze.RoleAdmin); err != nil {
		fail(c, s.Log, err)
		return
	}
	ids, err := s.Store.OpenDeadlines(c.Request.Context(), u.ScopeUnitID)
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	signalled := 0
	for _, id := range ids {
		err := s.Temporal.SignalWorkflow(c.Request.Context(), id, "", workflows.SignalRecomputeDeadline,
			workflows.RecomputeInput{RequestedBy: u.ID})
		if err != nil {
			s.Log.Warn("recompute deadline: signal failed", "workflow", id, "err", err)
			continue
		}
		signalled++
	}
	s.Log.Info("recompute open deadlines", "open", len(ids), "signalled", signalled, "by", u.Username)
	c.JSON(http.StatusAccepted, gin.H{"open": len(ids), "signalled": signalled})
}
