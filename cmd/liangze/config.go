package main

import (
	"flag"
	"fmt"
	"liangze"
	"liangze/workflows"
	"log/slog"
	"os"
	"strings"
	"time"
)

// config is every setting, with defaults in code, overridden by environment, then flags.
type config struct {
	DatabaseURL     string
	TemporalAddress string
	Namespace       string
	TaskQueue       string
	HTTPAddr        string
	AuthSecret      string
	DataDir         string
	Timing          string
	CaseOverdue     string
	TaskListBy      string
	SignoffOpenOn   string
	LogLevel        string
}

func env(name, def string) string {
	if v, ok := os.LookupEnv(name); ok && v != "" {
		return v
	}
	return def
}

// flags registers the settings a subcommand uses on fs; names lists which.
func (c *config) flags(fs *flag.FlagSet, names ...string) {
	all := map[string]func(){
		"database-url": func() {
			fs.StringVar(&c.DatabaseURL, "database-url", env("DATABASE_URL", ""), "PostgreSQL URL (DATABASE_URL)")
		},
		"temporal-address": func() {
			fs.StringVar(&c.TemporalAddress, "temporal-address", env("TEMPORAL_ADDRESS", "127.0.0.1:7233"), "Temporal frontend host:port (TEMPORAL_ADDRESS)")
		},
		"namespace": func() {
			fs.StringVar(&c.Namespace, "namespace", env("TEMPORAL_NAMESPACE", "default"), "Temporal namespace (TEMPORAL_NAMESPACE)")
		},
		"task-queue": func() {
			fs.StringVar(&c.TaskQueue, "task-queue", env("LIANGZE_TASK_QUEUE", workflows.TaskQueue), "Temporal task queue (LIANGZE_TASK_QUEUE)")
		},
		"http-addr": func() {
			fs.StringVar(&c.HTTPAddr, "http-addr", env("LIANGZE_HTTP_ADDR", "127.0.0.1:8080"), "address the API listens on (LIANGZE_HTTP_ADDR)")
		},
		"auth-secret": func() {
			fs.StringVar(&c.AuthSecret, "auth-secret", env("LIANGZE_AUTH_SECRET", ""), "secret signing bearer tokens, at least 32 bytes (LIANGZE_AUTH_SECRET)")
		},
		"data-dir": func() {
			fs.StringVar(&c.DataDir, "data-dir", env("LIANGZE_DATA_DIR", ".liangze-dev"), "dev: folder for Temporal's SQLite file, the local PostgreSQL cluster and the dev secret (LIANGZE_DATA_DIR)")
		},
		"timing": func() {
			fs.StringVar(&c.Timing, "timing", env("LIANGZE_TIMING", "standard"), "deadline profile: standard (days) or demo (minutes) (LIANGZE_TIMING)")
		},
		"case-overdue": func() {
			fs.StringVar(&c.CaseOverdue, "case-overdue", env("LIANGZE_CASE_OVERDUE", "flag"), "a case stage past its deadline is flagged (flag) or opens an escalation against the inspector's unit (escalate) (LIANGZE_CASE_OVERDUE)")
		},
		"task-list-by": func() {
			fs.StringVar(&c.TaskListBy, "task-list-by", env("LIANGZE_TASK_LIST_BY", "01-31"), "standard timing: month-day by which each unit's task list is signed (LIANGZE_TASK_LIST_BY)")
		},
		"signoff-open-on": func() {
			fs.StringVar(&c.SignoffOpenOn, "signoff-open-on", env("LIANGZE_SIGNOFF_OPEN_ON", "12-15"), "month-day a schedule opens the annual sign-off each year; in December it opens the coming year (LIANGZE_SIGNOFF_OPEN_ON)")
		},
		"log-level": func() {
			fs.StringVar(&c.LogLevel, "log-level", env("LIANGZE_LOG_LEVEL", "info"), "debug, info, warn or error (LIANGZE_LOG_LEVEL)")
		},
	}
	for _, n := range names {
		all[n]()
	}
}

// timing returns the deadline profile named by c.Timing.
func (c *config) timing() (workflows.Timing, error) {
	wd := func(n int) liangze.Period { return liangze.Period{N: n, Unit: liangze.WorkingDays} }
	mins := func(n int) liangze.Period { return liangze.Period{N: n, Unit: liangze.Minutes} }
	switch c.Timing {
	case "standard":
		return workflows.Timing{Rectification: wd(15), AutoReminder: wd(5), Reminders: []liangze.Period{wd(3), wd(1)},
			ApprovalReminder: wd(2), ApprovalReminders: 3}, nil
	case "demo":
		return workflows.Timing{Rectification: mins(3), AutoReminder: mins(2), Reminders: []liangze.Period{mins(2), mins(1)},
			ApprovalReminder: mins(2), ApprovalReminders: 3}, nil
	}
	return workflows.Timing{}, fmt.Errorf("timing %q: want standard or demo", c.Timing)
}

// timings are the deadline profiles of every process.
type timings struct {
	escalation workflows.Timing
	cases      workflows.CaseTiming
	reports    workflows.ReportTiming
	signoff    workflows.SignoffTiming
}

// timings returns the deadline profiles named by c.Timing and c.CaseOverdue.
func (c *config) timings() (t timings, err error) {
	if t.escalation, err = c.timing(); err != nil {
		return t, err
	}
	if t.cases, err = c.caseTiming(); err != nil {
		return t, err
	}
	if t.reports, err = c.reportTiming(); err != nil {
		return t, err
	}
	t.signoff, err = c.signoffTiming()
	return t, err
}

// signoffTiming returns the annual sign-off deadlines of the profile: standard has each
// task list and letter signed by TaskListBy (31 January) and the summary by 31 December, but
// none sooner than 10 working days after the year is opened, reminded 5 and 1 working days
// before; demo gives 3 minutes.
func (c *config) signoffTiming() (workflows.SignoffTiming, error) {
	esc, err := c.timing()
	if err != nil {
		return workflows.SignoffTiming{}, err
	}
	documents := []liangze.Document{liangze.DocLetter, liangze.DocSummary}
	if c.Timing == "demo" {
		m := func(n int) liangze.Period { return liangze.Period{N: n, Unit: liangze.Minutes} }
		return workflows.SignoffTiming{Grace: m(3), Reminders: []liangze.Period{m(2), m(1)}, Escalation: esc, Documents: documents,
			Duties: workflows.DutyTimings(func(_ string, minutes int) (string, liangze.Period) { return "", m(minutes) })}, nil
	}
	wd := func(n int) liangze.Period { return liangze.Period{N: n, Unit: liangze.WorkingDays} }
	t := workflows.SignoffTiming{TaskListBy: c.TaskListBy, Grace: wd(10), Reminders: []liangze.Period{wd(5), wd(1)}, Escalation: esc,
		Documents: documents, LetterBy: "01-31", SummaryBy: "12-31",
		Duties: workflows.DutyTimings(func(by string, _ int) (string, liangze.Period) { return by, wd(10) })}
	if _, err := t.TaskListDue(2000); err != nil {
		return t, fmt.Errorf("task-list-by %q: want a month and day such as 01-31", c.TaskListBy)
	}
	return t, nil
}

// reportTiming returns the quarterly report deadline of the profile: standard gives 5
// working days after the quarter's end, reminders 3 and 1 working days before; a missed
// report opens an escalation with the profile's escalation timing.
func (c *config) reportTiming() (workflows.ReportTiming, error) {
	esc, err := c.timing()
	if err != nil {
		return workflows.ReportTiming{}, err
	}
	if c.Timing == "demo" {
		m := func(n int) liangze.Period { return liangze.Period{N: n, Unit: liangze.Minutes} }
		return workflows.ReportTiming{Grace: m(3), Reminders: []liangze.Period{m(2), m(1)}, Escalation: esc}, nil
	}
	wd := func(n int) liangze.Period { return liangze.Period{N: n, Unit: liangze.WorkingDays} }
	return workflows.ReportTiming{Grace: wd(5), Reminders: []liangze.Period{wd(3), wd(1)}, Escalation: esc}, nil
}

// caseTiming returns the case stage deadlines of the profile named by c.Timing: standard
// gives 30 days for verification and 90 for investigation (calendar days), reminders 5 and
// 1 working days before.
func (c *config) caseTiming() (workflows.CaseTiming, error) {
	var t workflows.CaseTiming
	if c.Timing == "demo" {
		m := func(n int) liangze.Period { return liangze.Period{N: n, Unit: liangze.Minutes} }
		t = workflows.CaseTiming{Verification: m(5), Investigation: m(10), Decision: m(5), Reminders: []liangze.Period{m(2), m(1)}}
	} else {
		d := func(n int) liangze.Period { return liangze.Period{N: n, Unit: liangze.CalendarDays} }
		wd := func(n int) liangze.Period { return liangze.Period{N: n, Unit: liangze.WorkingDays} }
		t = workflows.CaseTiming{Verification: d(30), Investigation: d(90), Decision: d(30), Reminders: []liangze.Period{wd(5), wd(1)}}
	}
	switch c.CaseOverdue {
	case "flag", "":
	case "escalate":
		esc, err := c.timing()
		if err != nil {
			return t, err
		}
		t.OverdueEscalation = &esc
	default:
		return t, fmt.Errorf("case-overdue %q: want flag or escalate", c.CaseOverdue)
	}
	return t, nil
}

// signoffOpenOn parses the month-day the sign-off schedule runs.
func (c *config) signoffOpenOn() (month, day int, err error) {
	d, err := time.Parse("01-02", c.SignoffOpenOn)
	if err != nil {
		return 0, 0, fmt.Errorf("signoff-open-on %q: want a month and day such as 12-15", c.SignoffOpenOn)
	}
	return int(d.Month()), d.Day(), nil
}

func (c *config) logger() *slog.Logger {
	var level slog.Level
	if err := level.UnmarshalText([]byte(c.LogLevel)); err != nil {
		level = slog.LevelInfo
	}
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
}

// masked hides a URL's password for logs.
func masked(url string) string {
	at := strings.LastIndex(url, "@")
	scheme := strings.Index(url, "://")
	if at < 0 || scheme < 0 {
		return url
	}
	userinfo := url[scheme+3 : at]
	if user, _, ok := strings.Cut(userinfo, ":"); ok {
		return url[:scheme+3] + user + ":***" + url[at:]
	}
	return url
}
