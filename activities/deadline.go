package activities

import (
	"context"
	"time"

	"go.temporal.io/sdk/activity"

	"liangze"
)

// DeadlineParams asks for the deadline of a period starting at Start, and when the
// reminders before it go out.
type DeadlineParams struct {
	Start     time.Time
	Period    liangze.Period
	Reminders []liangze.Period
	// By, if set, is a fixed deadline (such as 31 January); the later of it and Start plus
	// Period counts, so a process opened late still gets Period to act.
	By *time.Time
}

// DeadlineResult is a computed deadline. Workflows keep it in their history, so a later
// edit of the calendar does not move it.
type DeadlineResult struct {
	Deadline liangze.Deadline
	// RemindAt are the reminder times still ahead of Start, earliest first.
	RemindAt []time.Time
}

// ComputeDeadline computes a deadline on the official calendar stored in PostgreSQL,
// falling back to Monday to Friday (with a warning) for years without data.
func (a *Activities) ComputeDeadline(ctx context.Context, p DeadlineParams) (DeadlineResult, error) {
	if err := p.Period.Validate("period"); err != nil {
		return DeadlineResult{}, nonRetryableIfDomain(err)
	}
	cal, err := a.Store.Calendar(ctx, p.Start.In(liangze.ChinaTime).Year())
	if err != nil {
		return DeadlineResult{}, err
	}
	d, err := cal.Due(p.Start, p.Period)
	if err != nil {
		return DeadlineResult{}, nonRetryableIfDomain(err)
	}
	if p.By != nil && p.By.After(d.At) {
		day := p.By.In(liangze.ChinaTime).Add(-time.Nanosecond)
		d = liangze.Deadline{At: *p.By, Rule: liangze.Label{ZH: day.Format("2006年1月2日") + "前",
			EN: "by " + day.Format("2 January 2006")}}
	}
	for _, w := range d.Warnings {
		activity.GetLogger(ctx).Warn("deadline computed without holiday data", "warning", w, "rule", d.Rule.EN)
	}
	res := DeadlineResult{Deadline: d}
	for _, r := range p.Reminders {
		if r.Validate("reminder") != nil {
			continue
		}
		if at := cal.Before(d.At, r); at.After(p.Start) && at.Before(d.At) {
			res.RemindAt = append(res.RemindAt, at)
		}
	}
	sortTimes(res.RemindAt)
	return res, nil
}

func sortTimes(ts []time.Time) {
	for i := 1; i < len(ts); i++ {
		for j := i; j > 0 && ts[j].Before(ts[j-1]); j-- {
			ts[j], ts[j-1] = ts[j-1], ts[j]
		}
	}
}

// RescheduleParams moves the current step's deadline after the calendar changed.
type RescheduleParams struct {
	Step StepParams
	Due  liangze.Deadline
}

// RescheduleDeadline stores the new deadline and tells the unit.
func (a *Activities) RescheduleDeadline(ctx context.Context, p RescheduleParams) error {
	if err := a.Store.RescheduleDeadline(ctx, p.Step, p.Due); err != nil {
		return nonRetryableIfDomain(err)
	}
	e, err := a.Store.Escalation(ctx, p.Step.EscalationID)
	if err != nil {
		return err
	}
	at := p.Due.At.In(liangze.ChinaTime).Format("2006-01-02 15:04")
	return a.notifyUnit(ctx, e, p.Step, "deadline_changed", &p.Due.At, liangze.Label{
		ZH: "节假日安排调整，整改期限改为" + at, EN: "Holiday calendar changed: rectification now due " + at})
}
