// Package storetest gives tests a fresh, migrated PostgreSQL database each: on the server
// named by TEST_DATABASE_URL or DATABASE_URL, else on 127.0.0.1:5432, else on a throwaway
// cluster it starts with initdb/pg_ctl (TEST_DATABASE_URL=local forces that). Packages that use it call Main from TestMain.
package storetest

import (
	"context"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"liangze/store"
	"liangze/store/localpg"
)

var (
	once     sync.Once
	adminURL string // a database on the server we use, for CREATE/DROP DATABASE
	template string // migrated template database
	cluster  *localpg.Cluster
	tmpDir   string
	setupErr error
	createMu sync.Mutex
)

// candidates lists the servers to try, in order. TEST_DATABASE_URL=local skips them all
// and starts a throwaway cluster.
func candidates() []string {
	if os.Getenv("TEST_DATABASE_URL") == "local" {
		return nil
	}
	var urls []string
	for _, env := range []string{"TEST_DATABASE_URL", "DATABASE_URL"} {
		if v := os.Getenv(env); v != "" {
			urls = append(urls, v)
		}
	}
	return append(urls,
		"postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable",
		"postgres://root@127.0.0.1:5432/root?sslmode=disable")
}

func setup() {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	for _, u := range candidates() {
		if reachable(ctx, u) {
			adminURL = u
			break
		}
	}
	if adminURL == "" {
		tmpDir, setupErr = os.MkdirTemp("", "liangze-pg-")
		if setupErr != nil {
			return
		}
		if cluster, setupErr = localpg.Start(ctx, tmpDir+"/data"); setupErr != nil {
			setupErr = fmt.Errorf("no PostgreSQL reachable and none could be started: %w", setupErr)
			return
		}
		adminURL = cluster.URL()
	}
	template = fmt.Sprintf("liangze_tmpl_%d_%d", os.Getpid(), rand.IntN(1e6))
	if setupErr = exec(ctx, adminURL, "create database "+template); setupErr != nil {
		return
	}
	if _, setupErr = store.Migrate(ctx, withDB(adminURL, template)); setupErr != nil {
		setupErr = fmt.Errorf("migrate template database: %w", setupErr)
	}
}

func reachable(ctx context.Context, u string) bool {
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, u)
	if err != nil {
		return false
	}
	conn.Close(ctx)
	return true
}

func exec(ctx context.Context, u, sql string) error {
	conn, err := pgx.Connect(ctx, u)
	if err != nil {
		return fmt.Errorf("connect: %w", err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, sql); err != nil {
		return fmt.Errorf("%s: %w", sql, err)
	}
	return nil
}

func withDB(u, db string) string {
	p, err := url.Parse(u)
	if err != nil {
		return u
	}
	p.Path = "/" + db
	return p.String()
}

// URL returns the URL of a fresh database with the schema migrated, dropped when the
// test ends.
func URL(t testing.TB) string {
	t.Helper()
	once.Do(setup)
	if setupErr != nil {
		t.Fatalf("test database: %v (set TEST_DATABASE_URL, or install PostgreSQL: apt-get install postgresql)", setupErr)
	}
	name := fmt.Sprintf("liangze_t_%d_%d", os.Getpid(), rand.IntN(1e9))
	ctx := context.Background()
	createMu.Lock()
	err := exec(ctx, adminURL, fmt.Sprintf("create database %s template %s", name, template))
	createMu.Unlock()
	if err != nil {
		t.Fatalf("create test database: %v", err)
	}
	t.Cleanup(func() { _ = exec(ctx, adminURL, "drop database if exists "+name+" with (force)") })
	return withDB(adminURL, name)
}

// New returns a store on a fresh database, closed when the test ends.
func New(t testing.TB) *store.Store {
	t.Helper()
	s, err := store.Open(context.Background(), URL(t))
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(s.Close)
	return s
}

// Main runs the tests, then drops the template database and stops any cluster it started.
func Main(m *testing.M) {
	code := m.Run()
	if template != "" {
		_ = exec(context.Background(), adminURL, "drop database if exists "+template+" with (force)")
	}
	if cluster != nil {
		_ = cluster.Stop()
		_ = os.RemoveAll(tmpDir)
	}
	os.Exit(code)
}
