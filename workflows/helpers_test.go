package workflows

import (
	"errors"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/mock"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"
	"go.temporal.io/sdk/workflow"

	"liangze"
)

// updateAt sends an update to workflowID ("" for the workflow under test) after d of
// simulated time. refused gets the error code of a validator's refusal, failed that of a
// handler's error; either may be nil.
func updateAt(env *testsuite.TestWorkflowEnvironment, d time.Duration, workflowID, name string, arg any, refused, failed func(code string)) {
	env.RegisterDelayedCallback(func() {
		cb := &testsuite.TestUpdateCallback{OnAccept: func() {},
			OnReject: func(err error) {
				if refused != nil {
					refused(refusalCode(err))
				}
			},
			OnComplete: func(_ any, err error) {
				if err != nil && failed != nil {
					failed(refusalCode(err))
				}
			}}
		if workflowID == "" {
			env.UpdateWorkflow(name, uuid.NewString(), cb, arg)
		} else {
			env.UpdateWorkflowByID(workflowID, name, uuid.NewString(), cb, arg)
		}
	}, d)
}

// refusalCode is the liangze error code an update was refused or failed with.
func refusalCode(err error) string {
	var app *temporal.ApplicationError
	if errors.As(err, &app) {
		return app.Type()
	}
	return err.Error()
}

// mockEscalations stands in for the escalation workflows a process opens (and for the row it
// stores first): each child ends in state at once; the inputs are collected in the result.
func mockEscalations(env *testsuite.TestWorkflowEnvironment, state liangze.EscalationState) *[]EscalationInput {
	var opened []EscalationInput
	env.OnActivity(a.OpenEscalation, mock.Anything, mock.Anything).Return(nil).Maybe()
	env.OnWorkflow(EscalationWorkflowName, mock.Anything, mock.Anything).Return(
		func(_ workflow.Context, in EscalationInput) (EscalationStatus, error) {
			opened = append(opened, in)
			return EscalationStatus{State: state}, nil
		}).Maybe()
	return &opened
}
