package workflows

import (
	"fmt"
	"time"

	"github.com/google/uuid"
	"go.temporal.io/sdk/workflow"

	"liangze"
	"liangze/activities"
	"liangze/store"
)

// CaseWorkflow runs one case, two investigations (一案双查): preliminary verification until a
// supervisor other than the inspector files the case (立案) or closes it; then the violation
// itself and the responsibility of the unit's leadership are investigated side by side, the
// latter traced upward level by level as child workflows; then a decision of accountability
// forms per person, approved by a supervisor other than its proposer. Each stage has a
// deadline on the working-day calendar, reminders before it, extensions approved by a
// supervisor, and is flagged when missed.
func CaseWorkflow(ctx workflow.Context, in CaseInput) (CaseStatus, error) {
	c := &caseRun{in: in, wfID: workflow.GetInfo(ctx).WorkflowExecution.ID,
		stage: liangze.StageVerification}
	if err := c.setup(ctx); err != nil {
		return c.status(), err
	}
	return c.run(workflow.WithActivityOptions(ctx, activityOptions))
}

type caseRun struct {
	in    CaseInput
	wfID  string
	turns turns
	stage liangze.CaseStage
	seq   int

	due      *liangze.Deadline
	remindAt []time.Time
	extended bool // the deadline moved; the stage's wait starts again
	entering bool // a stage is being set up; its deadline is coming

	filed            *bool
	violationRecords bool
	chain            []LevelOutcome
	chainDone        bool
	extension        *ExtensionInput
	proposal         *DecisionInput
	decided          bool
}

func (c *caseRun) status() CaseStatus {
	st := CaseStatus{Stage: c.stage, PendingExtension: c.extension != nil, PendingDecision: c.proposal != nil, Chain: c.chain}
	if c.due != nil {
		st.DueAt = &c.due.At
	}
	return st
}

func (c *caseRun) setup(ctx workflow.Context) error {
	if err := workflow.SetQueryHandler(ctx, QueryStatus, func() (CaseStatus, error) { return c.status(), nil }); err != nil {
		return err
	}
	for _, h := range []struct {
		name               string
		handler, validator any
	}{
		{UpdateDecideFiling, c.decideFiling, c.validateFiling},
		{UpdateRecordViolation, c.recordViolation, c.validateViolation},
		{UpdateRequestExtension, c.requestExtension, c.validateExtension},
		{UpdateDecideExtension, c.decideExtension, c.validateExtensionDecision},
		{UpdateProposeDecision, c.proposeDecision, c.validateProposal},
		{UpdateDecideDecision, c.decideDecision, c.validateDecision},
	} {
		if err := workflow.SetUpdateHandlerWithOptions(ctx, h.name, h.handler,
			workflow.UpdateHandlerOptions{Validator: h.validator}); err != nil {
			return err
		}
	}
	return nil
}

func (c *caseRun) run(ctx workflow.Context) (CaseStatus, error) {
	in := c.in
	err := workflow.ExecuteActivity(ctx, a.OpenCase, c.change(ctx, "open", &in.OpenedBy), store.NewCase{
		ID: in.CaseID, WorkflowID: c.wfID, UnitID: in.UnitID, PersonID: in.PersonID, ClueSource: in.ClueSource,
		Summary: in.Summary, Category: in.Category, Evidence: in.Evidence, ViolationDate: in.ViolationDate,
		EscalationID: in.EscalationID, Severity: in.Severity, OpenedBy: in.OpenedBy, OpenedAt: workflow.Now(ctx)}).Get(ctx, nil)
	if err == nil {
		err = c.enterStage(ctx, liangze.StageVerification, in.Timing.Verification)
	}
	if err == nil {
		err = c.waitStage(ctx, func() bool { return c.filed != nil })
	}
	if err != nil || !*c.filed {
		return c.finish(ctx, err)
	}
	if err := c.enterStage(ctx, liangze.StageInvestigation, in.Timing.Investigation); err != nil {
		return c.status(), err
	}
	c.traceResponsibility(ctx)
	err = c.waitStage(ctx, func() bool { return c.violationRecords && c.chainDone })
	if err == nil {
		err = c.enterStage(ctx, liangze.StageDecision, in.Timing.Decision)
	}
	if err == nil {
		err = c.waitStage(ctx, func() bool { return c.decided })
	}
	return c.finish(ctx, err)
}

func (c *caseRun) finish(ctx workflow.Context, err error) (CaseStatus, error) {
	if err != nil {
		return c.status(), err
	}
	c.stage, c.due = liangze.StageClosed, nil
	workflow.GetLogger(ctx).Info("case closed", "case", c.in.CaseID)
	return c.status(), workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) })
}

// traceResponsibility starts the responsibility investigation of the unit (level 1) as a
// child workflow; each level starts the next one up itself.
func (c *caseRun) traceResponsibility(ctx workflow.Context) {
	in := LevelInput{CaseID: c.in.CaseID, Level: 1, UnitID: c.in.UnitID, ViolationDate: c.in.ViolationDate}
	cctx := workflow.WithChildOptions(ctx, workflow.ChildWorkflowOptions{WorkflowID: LevelWorkflowID(c.in.CaseID, 1)})
	f := workflow.ExecuteChildWorkflow(cctx, ResponsibilityWorkflowName, in)
	workflow.Go(ctx, func(ctx workflow.Context) {
		if err := f.Get(ctx, &c.chain); err != nil {
			workflow.GetLogger(ctx).Error("responsibility investigation failed", "case", c.in.CaseID, "err", err)
			return
		}
		c.chainDone = true
	})
}

// enterStage moves to a stage and sets its deadline on the calendar.
func (c *caseRun) enterStage(ctx workflow.Context, stage liangze.CaseStage, rule liangze.Period) error {
	if err := c.turns.take(ctx, always); err != nil {
		return err
	}
	defer c.turns.done()
	c.stage, c.due, c.remindAt, c.entering = stage, nil, nil, true
	defer func() { c.entering = false }()
	if !rule.IsZero() {
		if err := c.computeDue(ctx, workflow.Now(ctx), rule); err != nil {
			return err
		}
	}
	return workflow.ExecuteActivity(ctx, a.SetCaseStage, activities.StageParams{
		Change: c.change(ctx, "stage-"+string(stage), nil), Stage: stage, Due: c.due}).Get(ctx, nil)
}

func (c *caseRun) computeDue(ctx workflow.Context, start time.Time, rule liangze.Period) error {
	var res activities.DeadlineResult
	err := workflow.ExecuteActivity(ctx, a.ComputeDeadline, activities.DeadlineParams{
		Start: start, Period: rule, Reminders: c.in.Timing.Reminders}).Get(ctx, &res)
	if err == nil {
		c.due, c.remindAt = &res.Deadline, res.RemindAt
	}
	return err
}

// waitStage waits until done, reminding the inspector before the stage's deadline and
// flagging the stage once it has passed; an approved extension starts the wait again.
func (c *caseRun) waitStage(ctx workflow.Context, done func() bool) error {
	wake := func() bool { return done() || c.extended }
	for {
		c.extended = false
		if c.due == nil {
			return workflow.Await(ctx, done)
		}
		due := c.due.At
		for _, at := range c.remindAt {
			if !at.After(workflow.Now(ctx)) || !at.Before(due) {
				continue
			}
			if ok, err := workflow.AwaitWithTimeout(ctx, at.Sub(workflow.Now(ctx)), wake); err != nil || ok {
				if err != nil || done() {
					return err
				}
				break
			}
			if err := c.remind(ctx, due, false); err != nil {
				return err
			}
		}
		if c.extended {
			continue
		}
		if left := due.Sub(workflow.Now(ctx)); left > 0 {
			if ok, err := workflow.AwaitWithTimeout(ctx, left, wake); err != nil || done() {
				return err
			} else if ok {
				continue
			}
		}
		if err := c.remind(ctx, due, true); err != nil {
			return err
		}
		if err := c.escalateOverdue(ctx); err != nil {
			return err
		}
		if err := workflow.Await(ctx, wake); err != nil || done() {
			return err
		}
	}
}

// escalateOverdue opens an escalation against the inspector's unit for a missed stage
// deadline, where the case's timing asks for it. The escalation lives on by itself.
func (c *caseRun) escalateOverdue(ctx workflow.Context) error {
	t := c.in.Timing.OverdueEscalation
	if t == nil {
		return nil
	}
	id := uuid.NewSHA1(c.in.CaseID, []byte(fmt.Sprintf("overdue/%s/%d", c.stage, c.seq)))
	return startEscalation(ctx, EscalationInput{EscalationID: id,
		UnitID: c.in.InspectorUnitID, Trigger: "case_stage_overdue", Severity: liangze.SeverityGeneral,
		Level: liangze.LevelAutoReminder, Timing: *t,
		Problem: fmt.Sprintf("案件%s阶段逾期 / case %s: %s stage overdue", c.stage.Label().ZH, c.in.CaseID, c.stage),
		Reason:  "办案期限届满 / stage deadline passed"})
}

func (c *caseRun) remind(ctx workflow.Context, due time.Time, overdue bool) error {
	what := "remind"
	if overdue {
		what = "overdue"
	}
	return workflow.ExecuteActivity(ctx, a.RemindCaseDeadline, activities.CaseReminderParams{
		Change: c.change(ctx, what+"-"+string(c.stage), nil), Stage: c.stage, DueAt: due, Overdue: overdue,
		Inspector: c.in.OpenedBy}).Get(ctx, nil)
}

// change keys a state change of the case by workflow id, action and a sequence number.
func (c *caseRun) change(ctx workflow.Context, action string, actor *uuid.UUID) store.CaseChange {
	c.seq++
	return store.CaseChange{Key: fmt.Sprintf("%s/%s#%d", c.wfID, action, c.seq), CaseID: c.in.CaseID, Actor: actor,
		At: workflow.Now(ctx)}
}
