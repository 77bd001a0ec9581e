// Package activities holds the side effects of liangze's workflows: writes to PostgreSQL
// and notifications. Every write is idempotent, keyed by workflow id and step, so a
// retried activity changes nothing twice.
package activities

import (
	"context"
	"log/slog"

	"liangze"
)

// Notifier delivers a reminder beyond the in-app inbox (mail, SMS, a government
// messaging app). It is called after the reminder is stored, once per stored reminder.
type Notifier interface {
	Notify(ctx context.Context, r liangze.Reminder) error
}

// LogNotifier writes each reminder to the log; the default where no channel is set up.
type LogNotifier struct{ Log *slog.Logger }

// Notify logs the reminder.
func (n LogNotifier) Notify(_ context.Context, r liangze.Reminder) error {
	n.Log.Info("reminder", "user", r.UserID, "kind", r.Kind, "title", r.Title.ZH, "escalation", r.EscalationID,
		"step", r.StepNo, "due_at", r.DueAt)
	return nil
}
