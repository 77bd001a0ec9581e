package worker_test

import (
	"context"
	"io"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"go.temporal.io/sdk/client"
	sdklog "go.temporal.io/sdk/log"
	sdkworker "go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"
	"go.temporal.io/server/temporaltest"

	"liangze"
	"liangze/activities"
	"liangze/store"
	"liangze/store/storetest"
	"liangze/worker"
	"liangze/workflows"
)

func TestMain(m *testing.M) { storetest.Main(m) }

// bareWorkflow is the floor: a workflow that waits for one update and ends, with no
// activities.
func bareWorkflow(ctx workflow.Context) error {
	done := false
	if err := workflow.SetUpdateHandler(ctx, workflows.UpdateDecide, func(ctx workflow.Context, _ workflows.DecideInput) error {
		done = true
		return nil
	}); err != nil {
		return err
	}
	return workflow.Await(ctx, func() bool { return done })
}

// BenchmarkEscalationLifecycle measures whole escalations — opened, step 1 stored,
// rejected by a supervisor's update, closed: four activities writing to PostgreSQL with
// audit records and inbox items — against the floor of a bare workflow taking one update,
// on the same in-process Temporal server in the same run. Compare the two ns/op:
//
//	go test -run '^$' -bench EscalationLifecycle -benchtime 200x ./worker/
func BenchmarkEscalationLifecycle(b *testing.B) {
	st := storetest.New(b)
	ctx := context.Background()
	if err := st.SeedDemo(ctx); err != nil {
		b.Fatal(err)
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	quiet := sdklog.NewStructuredLogger(log)
	ts := temporaltest.NewServer(temporaltest.WithBaseClientOptions(client.Options{Logger: quiet}))
	b.Cleanup(ts.Stop)
	c := ts.GetDefaultClient()
	ts.NewWorker("bench", func(r sdkworker.Registry) {
		worker.Register(r, &activities.Activities{Store: st, Notifier: activities.LogNotifier{Log: log}})
		r.RegisterWorkflowWithOptions(bareWorkflow, workflow.RegisterOptions{Name: "Bare"})
	})
	inspector, supervisor := store.DemoID("user", "inspector"), store.DemoID("user", "supervisor")
	reject := func(n int) workflows.DecideInput {
		return workflows.DecideInput{StepNo: n, ActorID: supervisor, Approve: false, Comment: "benchmark"}
	}

	b.Run("floor=bare-workflow", func(b *testing.B) {
		run(b, c, func(ctx context.Context) error {
			id := "bare/" + uuid.NewString()
			r, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: id, TaskQueue: "bench"}, "Bare")
			if err == nil {
				err = updateWhenReady(ctx, c, id, reject(1))
			}
			if err == nil {
				err = r.Get(ctx, nil)
			}
			return err
		})
	})
	b.Run("escalation", func(b *testing.B) {
		run(b, c, func(ctx context.Context) error {
			in := workflows.EscalationInput{EscalationID: uuid.New(), UnitID: store.DemoID("unit", "donghu"),
				Trigger: "benchmark", Problem: "基准测试", Severity: liangze.SeverityMinor, Level: liangze.LevelReminderTalk,
				ProposedBy: &inspector, Timing: workflows.Timing{RectificationPeriod: time.Hour}}
			id := workflows.EscalationWorkflowID(in.EscalationID)
			r, err := c.ExecuteWorkflow(ctx, client.StartWorkflowOptions{ID: id, TaskQueue: "bench"}, workflows.EscalationWorkflowName, in)
			if err == nil {
				err = updateWhenReady(ctx, c, id, reject(1))
			}
			if err == nil {
				err = r.Get(ctx, nil)
			}
			return err
		})
	})
}

// run runs op b.N times from 8×GOMAXPROCS concurrent callers and reports completed workflows per second.
func run(b *testing.B, c client.Client, op func(context.Context) error) {
	var failed atomic.Int64
	b.SetParallelism(8) // × GOMAXPROCS callers
	start := time.Now()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			if err := op(ctx); err != nil {
				failed.Add(1)
				b.Error(err)
			}
			cancel()
		}
	})
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "workflows/s")
	if failed.Load() > 0 {
		b.Fatalf("%d of %d failed", failed.Load(), b.N)
	}
}

// updateWhenReady sends the decision once the workflow has made step 1 current: the
// validator refuses it with a conflict before then.
func updateWhenReady(ctx context.Context, c client.Client, id string, in workflows.DecideInput) error {
	for {
		h, err := c.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{WorkflowID: id, UpdateName: workflows.UpdateDecide,
			Args: []any{in}, WaitForStage: client.WorkflowUpdateStageCompleted})
		if err == nil {
			err = h.Get(ctx, nil)
		}
		if err == nil || !isConflict(err) || ctx.Err() != nil {
			return err
		}
		time.Sleep(10 * time.Millisecond)
	}
}
