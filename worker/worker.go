// Package worker registers liangze's workflows and activities on a Temporal worker.
package worker

import (
	"go.temporal.io/sdk/client"
	sdkworker "go.temporal.io/sdk/worker"
	"go.temporal.io/sdk/workflow"

	"liangze/activities"
	"liangze/workflows"
)

// Options configures the worker.
type Options struct {
	TaskQueue string
	// MaxConcurrentActivities bounds activity executions at once; 0 keeps the SDK default.
	MaxConcurrentActivities int
	// MaxConcurrentWorkflowTasks bounds workflow tasks at once; 0 keeps the SDK default.
	MaxConcurrentWorkflowTasks int
}

// New returns a worker, not yet started, with every workflow and the activities registered.
func New(c client.Client, acts *activities.Activities, opts Options) sdkworker.Worker {
	if opts.TaskQueue == "" {
		opts.TaskQueue = workflows.TaskQueue
	}
	w := sdkworker.New(c, opts.TaskQueue, sdkworker.Options{
		MaxConcurrentActivityExecutionSize:     opts.MaxConcurrentActivities,
		MaxConcurrentWorkflowTaskExecutionSize: opts.MaxConcurrentWorkflowTasks,
	})
	Register(w, acts)
	return w
}

// Register registers the workflows under their exported names, and the activities.
func Register(r sdkworker.Registry, acts *activities.Activities) {
	r.RegisterWorkflowWithOptions(workflows.EscalationWorkflow, workflow.RegisterOptions{Name: workflows.EscalationWorkflowName})
	r.RegisterWorkflowWithOptions(workflows.CaseWorkflow, workflow.RegisterOptions{Name: workflows.CaseWorkflowName})
	r.RegisterWorkflowWithOptions(workflows.ResponsibilityWorkflow, workflow.RegisterOptions{Name: workflows.ResponsibilityWorkflowName})
	r.RegisterWorkflowWithOptions(workflows.ReportWorkflow, workflow.RegisterOptions{Name: workflows.ReportWorkflowName})
	r.RegisterWorkflowWithOptions(workflows.ReportRoundWorkflow, workflow.RegisterOptions{Name: workflows.ReportRoundWorkflowName})
	r.RegisterWorkflowWithOptions(workflows.NoticeWorkflow, workflow.RegisterOptions{Name: workflows.NoticeWorkflowName})
	r.RegisterWorkflowWithOptions(workflows.SignoffWorkflow, workflow.RegisterOptions{Name: workflows.SignoffWorkflowName})
	r.RegisterWorkflowWithOptions(workflows.TaskListWorkflow, workflow.RegisterOptions{Name: workflows.TaskListWorkflowName})
	r.RegisterWorkflowWithOptions(workflows.SignoffRoundWorkflow, workflow.RegisterOptions{Name: workflows.SignoffRoundWorkflowName})
	r.RegisterWorkflowWithOptions(workflows.DutiesWorkflow, workflow.RegisterOptions{Name: workflows.DutiesWorkflowName})
	r.RegisterWorkflowWithOptions(workflows.AssessmentWorkflow, workflow.RegisterOptions{Name: workflows.AssessmentWorkflowName})
	r.RegisterActivity(acts)
}
