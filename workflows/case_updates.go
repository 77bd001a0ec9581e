package workflows

import (
	"github.com/google/uuid"
	"go.temporal.io/sdk/workflow"

	"liangze"
	"liangze/activities"
)

func (c *caseRun) expectStage(stages ...liangze.CaseStage) error {
	for _, s := range stages {
		if c.stage == s {
			return nil
		}
	}
	return refuse(liangze.ECONFLICT, "the case is at %s (%s)", c.stage, c.stage.Label().ZH)
}

func (c *caseRun) validateFiling(in FilingInput) error {
	if err := c.expectStage(liangze.StageVerification); err != nil {
		return err
	}
	if c.filed != nil {
		return refuse(liangze.ECONFLICT, "filing has been decided")
	}
	if in.ActorID == c.in.OpenedBy {
		return refuse(liangze.EFORBIDDEN, "the inspector who opened the case may not decide on filing (four-eyes) / 不得审批本人提出的立案")
	}
	if !in.File {
		return required("comment", in.Comment)
	}
	return nil
}

func (c *caseRun) decideFiling(ctx workflow.Context, in FilingInput) (CaseStatus, error) {
	return c.locked(ctx, func() error { return c.validateFiling(in) }, func(ctx workflow.Context) error {
		err := workflow.ExecuteActivity(ctx, a.DecideFiling, activities.FilingParams{
			Change: c.change(ctx, "filing", &in.ActorID), File: in.File, Comment: in.Comment}).Get(ctx, nil)
		if err == nil {
			c.filed = &in.File
		}
		return err
	})
}

func (c *caseRun) validateViolation(in ViolationInput) error {
	if err := c.expectStage(liangze.StageInvestigation); err != nil {
		return err
	}
	if c.violationRecords {
		return refuse(liangze.ECONFLICT, "the violation finding has been recorded")
	}
	return required("finding", in.Finding)
}

func (c *caseRun) recordViolation(ctx workflow.Context, in ViolationInput) (CaseStatus, error) {
	return c.locked(ctx, func() error { return c.validateViolation(in) }, func(ctx workflow.Context) error {
		err := workflow.ExecuteActivity(ctx, a.RecordViolationFinding, activities.ViolationParams{
			Change: c.change(ctx, "violation", &in.ActorID), Established: in.Established, Finding: in.Finding,
			PersonID: c.in.PersonID}).Get(ctx, nil)
		if err == nil {
			c.violationRecords = true
		}
		return err
	})
}

func (c *caseRun) validateExtension(in ExtensionInput) error {
	if err := c.expectStage(liangze.StageVerification, liangze.StageInvestigation, liangze.StageDecision); err != nil {
		return err
	}
	if c.due == nil && !c.entering { // while entering, the handler checks again once the deadline is set
		return refuse(liangze.ECONFLICT, "the %s stage has no deadline to extend", c.stage)
	}
	if c.extension != nil {
		return refuse(liangze.ECONFLICT, "an extension is already waiting for approval")
	}
	if err := in.Period.Validate("period"); err != nil {
		return refuse(liangze.EINVALID, "%s", err.(*liangze.Error).Message)
	}
	return required("reason", in.Reason)
}

func (c *caseRun) requestExtension(ctx workflow.Context, in ExtensionInput) (CaseStatus, error) {
	return c.locked(ctx, func() error { return c.validateExtension(in) }, func(workflow.Context) error {
		c.extension = &in
		return nil
	})
}

func (c *caseRun) validateExtensionDecision(in ApprovalInput) error {
	if c.extension == nil {
		return refuse(liangze.ECONFLICT, "no extension is waiting for approval")
	}
	if in.ActorID == c.extension.ActorID {
		return refuse(liangze.EFORBIDDEN, "the requester of an extension may not approve it (four-eyes)")
	}
	if !in.Approve {
		return required("comment", in.Comment)
	}
	return nil
}

// decideExtension approves (moving the deadline by the period, counted from the current
// deadline) or refuses the pending extension.
func (c *caseRun) decideExtension(ctx workflow.Context, in ApprovalInput) (CaseStatus, error) {
	return c.locked(ctx, func() error { return c.validateExtensionDecision(in) }, func(ctx workflow.Context) error {
		req := c.extension
		c.extension = nil
		if !in.Approve {
			return nil
		}
		if err := c.computeDue(ctx, c.due.At, req.Period); err != nil {
			return err
		}
		c.extended = true
		return workflow.ExecuteActivity(ctx, a.ExtendCaseStage, activities.ExtendParams{
			Change: c.change(ctx, "extend", &in.ActorID), Due: *c.due, Reason: req.Reason}).Get(ctx, nil)
	})
}

func (c *caseRun) validateProposal(in DecisionInput) error {
	if err := c.expectStage(liangze.StageDecision); err != nil {
		return err
	}
	if c.proposal != nil {
		return refuse(liangze.ECONFLICT, "a decision is already waiting for approval")
	}
	if len(in.Forms) == 0 {
		return refuse(liangze.EINVALID, "forms: name at least one accountability form for one person")
	}
	responsible := c.responsible()
	for _, f := range in.Forms {
		switch {
		case !f.Form.Valid():
			return refuse(liangze.EINVALID, "forms: %q is not an accountability form", f.Form)
		case f.Basis == "":
			return refuse(liangze.EINVALID, "forms: each form needs its basis (依据)")
		case !responsible[f.PersonID]:
			return refuse(liangze.EINVALID, "forms: person %s was not found responsible in this case", f.PersonID)
		}
	}
	return nil
}

// responsible is the set of persons found responsible: the party concerned, if the
// violation was established, and those named at each level of the chain.
func (c *caseRun) responsible() map[uuid.UUID]bool {
	set := map[uuid.UUID]bool{c.in.PersonID: c.violationRecords}
	for _, l := range c.chain {
		for _, p := range l.Persons {
			set[p] = true
		}
	}
	return set
}

func (c *caseRun) proposeDecision(ctx workflow.Context, in DecisionInput) (CaseStatus, error) {
	return c.locked(ctx, func() error { return c.validateProposal(in) }, func(workflow.Context) error {
		c.proposal = &in
		return nil
	})
}

func (c *caseRun) validateDecision(in ApprovalInput) error {
	if c.proposal == nil {
		return refuse(liangze.ECONFLICT, "no decision is waiting for approval")
	}
	if in.ActorID == c.proposal.ActorID {
		return refuse(liangze.EFORBIDDEN, "the proposer of a decision may not approve it (four-eyes)")
	}
	if !in.Approve {
		return required("comment", in.Comment)
	}
	return nil
}

func (c *caseRun) decideDecision(ctx workflow.Context, in ApprovalInput) (CaseStatus, error) {
	return c.locked(ctx, func() error { return c.validateDecision(in) }, func(ctx workflow.Context) error {
		p := c.proposal
		c.proposal = nil
		if !in.Approve {
			return nil
		}
		err := workflow.ExecuteActivity(ctx, a.DecideCase, activities.CaseDecisionParams{
			Change: c.change(ctx, "decide", &in.ActorID), ProposedBy: p.ActorID, Forms: p.Forms}).Get(ctx, nil)
		if err == nil {
			c.decided = true
		}
		return err
	})
}

// locked runs one update's change under the case's mutex, checking again it is allowed.
func (c *caseRun) locked(ctx workflow.Context, check func() error, change func(workflow.Context) error) (CaseStatus, error) {
	err := underLock(ctx, &c.turns, always, check, change)
	return c.status(), err
}
