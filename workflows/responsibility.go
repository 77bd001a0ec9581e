package workflows

import (
	"fmt"

	"github.com/google/uuid"
	"go.temporal.io/sdk/workflow"

	"liangze"
	"liangze/activities"
	"liangze/store"
)

// ResponsibilityWorkflow investigates one level of a case's responsibility (责任倒查): did
// the unit's party committee (or its fallback subject) carry the primary responsibility and
// its discipline body the supervisory one? It gathers the evidence — the leaders in post on
// the day of the violation, signed records — and waits for the finding. When the leadership
// is at fault and the unit has a parent, the parent's investigation starts as a child and
// this level waits for it; the result is the chain from this level upward.
func ResponsibilityWorkflow(ctx workflow.Context, in LevelInput) ([]LevelOutcome, error) {
	ctx = workflow.WithActivityOptions(ctx, activityOptions)
	l := &level{in: in, wfID: workflow.GetInfo(ctx).WorkflowExecution.ID}
	if err := workflow.SetUpdateHandlerWithOptions(ctx, UpdateRecordLevelFinding, l.record,
		workflow.UpdateHandlerOptions{Validator: l.validate}); err != nil {
		return nil, err
	}
	change := store.CaseChange{Key: l.wfID + "/open", CaseID: in.CaseID, At: workflow.Now(ctx)}
	err := workflow.ExecuteActivity(ctx, a.OpenCaseLevel, activities.LevelParams{Change: change, Level: in.Level,
		UnitID: in.UnitID, WorkflowID: l.wfID, ViolationDate: in.ViolationDate}).Get(ctx, &l.evidence)
	if err != nil {
		return nil, err
	}
	l.ready = true
	if err := workflow.Await(ctx, func() bool { return l.outcome != nil }); err != nil {
		return nil, err
	}
	chain := []LevelOutcome{*l.outcome}
	if !l.outcome.AtFault || l.evidence.ParentID == nil {
		return chain, workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) })
	}
	up := LevelInput{CaseID: in.CaseID, Level: in.Level + 1, UnitID: *l.evidence.ParentID, ViolationDate: in.ViolationDate}
	cctx := workflow.WithChildOptions(ctx, workflow.ChildWorkflowOptions{WorkflowID: LevelWorkflowID(in.CaseID, up.Level)})
	var above []LevelOutcome
	if err := workflow.ExecuteChildWorkflow(cctx, ResponsibilityWorkflowName, up).Get(ctx, &above); err != nil {
		return nil, fmt.Errorf("responsibility investigation of level %d: %w", up.Level, err)
	}
	return append(chain, above...), nil
}

type level struct {
	in       LevelInput
	wfID     string
	evidence liangze.LevelEvidence
	ready    bool
	outcome  *LevelOutcome
	busy     bool
}

func (l *level) validate(in LevelFindingInput) error {
	if l.outcome != nil || l.busy {
		return refuse(liangze.ECONFLICT, "level %d already has its finding", l.in.Level)
	}
	if err := required("summary", in.Summary); err != nil {
		return err
	}
	atFault := in.PrimaryAtFault || in.SupervisoryAtFault
	if atFault && len(in.Persons) == 0 {
		return refuse(liangze.EINVALID, "persons: a finding of fault names who is responsible")
	}
	if !atFault && len(in.Persons) > 0 {
		return refuse(liangze.EINVALID, "persons: a level found cleared names no one responsible")
	}
	if !l.ready { // the evidence is still being gathered: the handler checks the persons once it is in
		return nil
	}
	for i, p := range in.Persons {
		if _, ok := l.leader(p.PersonID); !ok {
			return refuse(liangze.EINVALID, "persons[%d]: person %s held no leading position in this unit on %s, the day of the violation",
				i, p.PersonID, l.in.ViolationDate.Format("2006-01-02"))
		}
	}
	return nil
}

func (l *level) leader(person uuid.UUID) (liangze.LeaderAt, bool) {
	for _, x := range l.evidence.LeadersAt {
		if x.PersonID == person {
			return x, true
		}
	}
	return liangze.LeaderAt{}, false
}

// record stores the finding. Former or current is taken from tenure, not from the request.
func (l *level) record(ctx workflow.Context, in LevelFindingInput) (LevelOutcome, error) {
	if err := workflow.Await(ctx, func() bool { return l.ready }); err != nil {
		return LevelOutcome{}, err
	}
	if err := l.validate(in); err != nil {
		return LevelOutcome{}, err
	}
	l.busy = true
	defer func() { l.busy = false }()
	f := store.LevelFinding{PrimaryAtFault: in.PrimaryAtFault, SupervisoryAtFault: in.SupervisoryAtFault, Summary: in.Summary}
	out := LevelOutcome{Level: l.in.Level, UnitID: l.in.UnitID, AtFault: in.PrimaryAtFault || in.SupervisoryAtFault}
	for _, p := range in.Persons {
		leader, _ := l.leader(p.PersonID)
		p.Level, p.Former = l.in.Level, !leader.Current
		f.Persons = append(f.Persons, p)
		out.Persons = append(out.Persons, p.PersonID)
	}
	ctx = workflow.WithActivityOptions(ctx, activityOptions)
	change := store.CaseChange{Key: l.wfID + "/finding", CaseID: l.in.CaseID, Actor: &in.ActorID, At: workflow.Now(ctx)}
	err := workflow.ExecuteActivity(ctx, a.RecordLevelFinding, activities.LevelFindingParams{Change: change,
		Level: l.in.Level, Finding: f}).Get(ctx, nil)
	if err != nil {
		return LevelOutcome{}, err
	}
	l.outcome = &out
	return out, nil
}
