// Command liangze runs the two-responsibilities accountability service.
//
//	liangze dev       everything in one process: embedded Temporal, local PostgreSQL, demo data
//	liangze api       the HTTP API, against external Temporal and PostgreSQL
//	liangze worker    the Temporal worker
//	liangze migrate   apply database migrations
//	liangze token     print a bearer token for a user
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

const usage = `usage: liangze <command> [flags]

commands:
  dev       run everything in one process (embedded Temporal, local PostgreSQL, demo data)
  api       run the HTTP API against external Temporal and PostgreSQL
  worker    run the Temporal worker against external Temporal and PostgreSQL
  migrate   apply database migrations
  token     print a bearer token for a user

Run 'liangze <command> -h' for its flags.`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "liangze:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string) error {
	if len(args) == 0 {
		fmt.Fprintln(os.Stderr, usage)
		return errors.New("no command given")
	}
	commands := map[string]func(context.Context, []string) error{
		"dev": runDev, "api": runAPI, "worker": runWorker, "migrate": runMigrate, "token": runToken,
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintln(os.Stderr, usage)
		return fmt.Errorf("unknown command %q", args[0])
	}
	return cmd(ctx, args[1:])
}
