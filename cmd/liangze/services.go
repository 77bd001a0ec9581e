package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"time"

	"go.temporal.io/sdk/client"
	sdklog "go.temporal.io/sdk/log"

	"liangze/activities"
	"liangze/api"
	"liangze/store"
	"liangze/worker"
)

func runMigrate(ctx context.Context, args []string) error {
	var c config
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	c.flags(fs, "database-url", "log-level")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if c.DatabaseURL == "" {
		return errors.New("migrate: set DATABASE_URL or -database-url")
	}
	v, err := store.Migrate(ctx, c.DatabaseURL)
	if err != nil {
		return err
	}
	c.logger().Info("database migrated", "version", v, "database", masked(c.DatabaseURL))
	return nil
}

func runToken(ctx context.Context, args []string) error {
	var c config
	fs := flag.NewFlagSet("token", flag.ContinueOnError)
	c.flags(fs, "database-url", "auth-secret")
	ttl := fs.Duration("ttl", 30*24*time.Hour, "how long the token is valid")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("usage: liangze token [flags] <username>")
	}
	tokens, err := tokensFrom(c.AuthSecret)
	if err != nil {
		return err
	}
	st, err := store.Open(ctx, c.DatabaseURL)
	if err != nil {
		return err
	}
	defer st.Close()
	u, err := st.UserByName(ctx, fs.Arg(0))
	if err != nil {
		return err
	}
	tok, err := tokens.Issue(u, *ttl, time.Now())
	if err != nil {
		return err
	}
	fmt.Println(tok)
	return nil
}

func tokensFrom(secret string) (api.Tokens, error) {
	if len(secret) < 32 {
		return api.Tokens{}, errors.New("set LIANGZE_AUTH_SECRET (or -auth-secret) to a secret of at least 32 bytes")
	}
	return api.Tokens{Secret: []byte(secret), Issuer: "liangze"}, nil
}

func dialTemporal(address, namespace string, log *slog.Logger) (client.Client, error) {
	c, err := client.Dial(client.Options{HostPort: address, Namespace: namespace,
		Logger: sdklog.NewStructuredLogger(log.With("component", "temporal-client"))})
	if err != nil {
		return nil, fmt.Errorf("connect to Temporal at %s (namespace %s): %w", address, namespace, err)
	}
	return c, nil
}

func runAPI(ctx context.Context, args []string) error {
	var c config
	fs := flag.NewFlagSet("api", flag.ContinueOnError)
	c.flags(fs, "database-url", "temporal-address", "namespace", "task-queue", "http-addr", "auth-secret", "timing", "case-overdue", "task-list-by", "log-level")
	if err := fs.Parse(args); err != nil {
		return err
	}
	log := c.logger()
	tokens, err := tokensFrom(c.AuthSecret)
	if err != nil {
		return err
	}
	timings, err := c.timings()
	if err != nil {
		return err
	}
	st, tc, closeAll, err := connect(ctx, c, log)
	if err != nil {
		return err
	}
	defer closeAll()
	srv := &api.Server{Store: st, Temporal: tc, Tokens: tokens, TaskQueue: c.TaskQueue, Timing: timings.escalation,
		CaseTiming: timings.cases, ReportTiming: timings.reports,
		SignoffTiming: timings.signoff, Log: log}
	return serveHTTP(ctx, c.HTTPAddr, srv.Handler(), log)
}

func runWorker(ctx context.Context, args []string) error {
	var c config
	fs := flag.NewFlagSet("worker", flag.ContinueOnError)
	c.flags(fs, "database-url", "temporal-address", "namespace", "task-queue", "timing", "task-list-by", "signoff-open-on", "log-level")
	if err := fs.Parse(args); err != nil {
		return err
	}
	log := c.logger()
	st, tc, closeAll, err := connect(ctx, c, log)
	if err != nil {
		return err
	}
	defer closeAll()
	stopWorker, err := startWorker(tc, st, c.TaskQueue, log)
	if err != nil {
		return err
	}
	timings, err := c.timings()
	if err != nil {
		return err
	}
	if err := ensureSchedules(ctx, tc, st, c, timings, log); err != nil {
		return err
	}
	<-ctx.Done()
	stopWorker()
	return nil
}

// connect opens the store and dials Temporal; closeAll closes both.
func connect(ctx context.Context, c config, log *slog.Logger) (*store.Store, client.Client, func(), error) {
	st, err := store.Open(ctx, c.DatabaseURL)
	if err != nil {
		return nil, nil, nil, err
	}
	tc, err := dialTemporal(c.TemporalAddress, c.Namespace, log)
	if err != nil {
		st.Close()
		return nil, nil, nil, err
	}
	return st, tc, func() { tc.Close(); st.Close() }, nil
}

// ensureSchedules creates the quarterly report, exposure notice and annual sign-off
// schedules of each root unit, unless they exist.
func ensureSchedules(ctx context.Context, tc client.Client, st *store.Store, c config, t timings, log *slog.Logger) error {
	roots, err := st.RootUnits(ctx)
	if err != nil {
		return err
	}
	month, day, err := c.signoffOpenOn()
	if err != nil {
		return err
	}
	taskQueue := c.TaskQueue
	for _, root := range roots {
		created, err := worker.EnsureReportSchedule(ctx, tc, taskQueue, root, t.reports)
		if err != nil {
			return err
		}
		log.Info("quarterly report schedule", "id", worker.ReportScheduleID(root), "created", created)
		if created, err = worker.EnsureNoticeSchedule(ctx, tc, taskQueue, root); err != nil {
			return err
		}
		log.Info("exposure notice schedule", "id", worker.NoticeScheduleID(root), "created", created)
		if created, err = worker.EnsureSignoffSchedule(ctx, tc, taskQueue, root, month, day, t.signoff); err != nil {
			return err
		}
		log.Info("annual sign-off schedule", "id", worker.SignoffScheduleID(root), "on", c.SignoffOpenOn, "created", created)
	}
	return nil
}

// startWorker starts a worker with every workflow and activity registered.
func startWorker(tc client.Client, st *store.Store, taskQueue string, log *slog.Logger) (stop func(), err error) {
	w := worker.New(tc, newActivities(st, log), worker.Options{TaskQueue: taskQueue})
	if err := w.Start(); err != nil {
		return nil, fmt.Errorf("start worker: %w", err)
	}
	log.Info("worker started", "task_queue", taskQueue)
	return w.Stop, nil
}

func newActivities(st *store.Store, log *slog.Logger) *activities.Activities {
	return &activities.Activities{Store: st, Notifier: activities.LogNotifier{Log: log.With("component", "notifier")}}
}

// serveHTTP serves until ctx ends, then shuts down gracefully.
func serveHTTP(ctx context.Context, addr string, h http.Handler, log *slog.Logger) error {
	srv := &http.Server{Addr: addr, Handler: h, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	log.Info("API listening", "addr", addr)
	select {
	case err := <-errc:
		return fmt.Errorf("serve %s: %w", addr, err)
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return srv.Shutdown(shutdown)
}
