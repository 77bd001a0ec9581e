package workflows

import (
	"errors"
	"time"

	"github.com/google/uuid"
	"go.temporal.io/sdk/temporal"
	"go.temporal.io/sdk/testsuite"
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
