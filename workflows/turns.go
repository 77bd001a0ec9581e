package workflows

import (
	"slices"

	"go.temporal.io/sdk/workflow"
)

// turns lets one update change a workflow's state at a time, in the order the updates
// arrived. workflow.Mutex does not promise an order, and the SDK runs the newest update
// handler first, so a submit sent after an edit could otherwise overtake it.
type turns struct {
	next    int
	waiting []int
	busy    bool
}

// take waits until every update that arrived earlier has had its turn and ready holds.
func (t *turns) take(ctx workflow.Context, ready func() bool) error {
	mine := t.next
	t.next++
	t.waiting = append(t.waiting, mine)
	err := workflow.Await(ctx, func() bool { return !t.busy && t.waiting[0] == mine && ready() })
	t.waiting = slices.DeleteFunc(t.waiting, func(n int) bool { return n == mine })
	if err == nil {
		t.busy = true
	}
	return err
}

func (t *turns) done() { t.busy = false }

func always() bool { return true }

// underLock runs an update's change in its turn, checking again that it is still allowed:
// two updates accepted together must not both act on the same state.
func underLock(ctx workflow.Context, t *turns, ready func() bool, check func() error, change func(workflow.Context) error) error {
	if err := t.take(ctx, ready); err != nil {
		return err
	}
	defer t.done()
	if err := check(); err != nil {
		return err
	}
	return change(workflow.WithActivityOptions(ctx, activityOptions))
}
