package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"liangze/api"
	"liangze/cmd/liangze/devtemporal"
	"liangze/store"
	"liangze/store/localpg"
)

// runDev runs the whole system in one process: an embedded Temporal server (SQLite in the
// data folder), PostgreSQL from DATABASE_URL or a local cluster in the data folder,
// migrations, the demo org tree, a worker and the API.
func runDev(ctx context.Context, args []string) error {
	c := config{Timing: "demo"}
	fs := flag.NewFlagSet("dev", flag.ContinueOnError)
	c.flags(fs, "database-url", "namespace", "task-queue", "http-addr", "data-dir", "case-overdue", "task-list-by", "signoff-open-on", "log-level")
	fs.StringVar(&c.Timing, "timing", env("LIANGZE_TIMING", "demo"), "deadline profile: demo (minutes) or standard (days) (LIANGZE_TIMING)")
	temporalPort := fs.Int("temporal-port", 7233, "port of the embedded Temporal frontend (0: any free port)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	log := c.logger()
	timings, err := c.timings()
	if err != nil {
		return err
	}
	dataDir, err := filepath.Abs(c.DataDir)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dataDir, 0o755); err != nil {
		return fmt.Errorf("data folder: %w", err)
	}

	dbURL, stopPG, err := devDatabase(ctx, c.DatabaseURL, dataDir, log)
	if err != nil {
		return err
	}
	defer stopPG()
	v, err := store.Migrate(ctx, dbURL)
	if err != nil {
		return err
	}
	log.Info("database migrated", "version", v)
	st, err := store.Open(ctx, dbURL)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.SeedDemo(ctx); err != nil {
		return err
	}

	log.Info("starting embedded Temporal server", "data", filepath.Join(dataDir, "temporal"))
	ts, err := devtemporal.Start(filepath.Join(dataDir, "temporal"), *temporalPort, c.Namespace)
	if err != nil {
		return fmt.Errorf("%w (is port %d taken? try -temporal-port 0)", err, *temporalPort)
	}
	defer ts.Stop()
	tc, err := dialTemporal(ts.Address, c.Namespace, log)
	if err != nil {
		return err
	}
	defer tc.Close()
	stopWorker, err := startWorker(tc, st, c.TaskQueue, log)
	if err != nil {
		return err
	}
	defer stopWorker()
	if err := ensureSchedules(ctx, tc, st, c, timings, log); err != nil {
		return err
	}

	secret, err := devSecret(dataDir)
	if err != nil {
		return err
	}
	tokens := api.Tokens{Secret: secret, Issuer: "liangze"}
	if err := printDevBanner(ctx, st, tokens, c, ts.Address, dbURL, dataDir); err != nil {
		return err
	}
	srv := &api.Server{Store: st, Temporal: tc, Tokens: tokens, TaskQueue: c.TaskQueue, Timing: timings.escalation,
		CaseTiming: timings.cases, ReportTiming: timings.reports,
		SignoffTiming: timings.signoff, Log: log}
	return serveHTTP(ctx, c.HTTPAddr, srv.Handler(), log)
}

// devDatabase returns the database to use: DATABASE_URL if set, else a local cluster in
// the data folder, started now and stopped by the returned function.
func devDatabase(ctx context.Context, url, dataDir string, log *slog.Logger) (string, func(), error) {
	if url != "" {
		log.Info("using PostgreSQL from DATABASE_URL", "database", masked(url))
		return url, func() {}, nil
	}
	log.Info("starting a local PostgreSQL cluster", "data", filepath.Join(dataDir, "postgres"))
	cl, err := localpg.Start(ctx, filepath.Join(dataDir, "postgres"))
	if errors.Is(err, localpg.ErrNotInstalled) {
		return "", nil, err
	}
	if err != nil {
		return "", nil, fmt.Errorf("local PostgreSQL: %w", err)
	}
	return cl.URL(), func() {
		if err := cl.Stop(); err != nil {
			log.Warn("stop local PostgreSQL", "err", err)
		}
	}, nil
}

// devSecret returns the dev token secret, made once and kept in the data folder so
// printed tokens stay valid across restarts.
func devSecret(dataDir string) ([]byte, error) {
	path := filepath.Join(dataDir, "auth-secret")
	if b, err := os.ReadFile(path); err == nil && len(b) >= 32 {
		return b, nil
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return nil, err
	}
	secret := []byte(hex.EncodeToString(raw))
	return secret, os.WriteFile(path, secret, 0o600)
}

// printDevBanner prints the addresses and demo tokens, and writes the tokens to
// <data>/tokens.env for the README's walk-through.
func printDevBanner(ctx context.Context, st *store.Store, tokens api.Tokens, c config, temporalAddr, dbURL, dataDir string) error {
	var b, envFile strings.Builder
	fmt.Fprintf(&b, "\n两责 liangze dev is running\n")
	fmt.Fprintf(&b, "  API:        http://%s/api/v1   (OpenAPI: http://%s/api/v1/openapi.json)\n", c.HTTPAddr, c.HTTPAddr)
	fmt.Fprintf(&b, "  Temporal:   %s   namespace %s, task queue %s\n", temporalAddr, c.Namespace, c.TaskQueue)
	fmt.Fprintf(&b, "  PostgreSQL: %s\n", masked(dbURL))
	fmt.Fprintf(&b, "  Deadlines:  %s profile\n\n  Demo users (bearer tokens valid 30 days):\n", c.Timing)
	fmt.Fprintf(&envFile, "API=http://%s/api/v1\n", c.HTTPAddr)
	for _, du := range store.DemoUsers {
		u, err := st.UserByName(ctx, du.Username)
		if err != nil {
			return err
		}
		tok, err := tokens.Issue(u, 30*24*time.Hour, time.Now())
		if err != nil {
			return err
		}
		fmt.Fprintf(&b, "  %-14s %-12s %s\n    %s\n", du.Username, du.Role, du.DisplayName, tok)
		fmt.Fprintf(&envFile, "%s=%s\n", strings.ToUpper(strings.ReplaceAll(du.Username, "-", "_")), tok)
	}
	envPath := filepath.Join(dataDir, "tokens.env")
	fmt.Fprintf(&b, "\n  The same tokens, for a shell: source %s\n", envPath)
	fmt.Fprint(os.Stderr, b.String())
	return os.WriteFile(envPath, []byte(envFile.String()), 0o600)
}
