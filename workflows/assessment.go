package workflows

import (
	"fmt"

	"github.com/google/uuid"
	"go.temporal.io/sdk/workflow"

	"liangze"
	"liangze/activities"
	"liangze/store"
)

// Names of the year-end assessment workflow and its updates.
const (
	AssessmentWorkflowName = "AnnualAssessment"
	UpdateScoreUnit        = "score_unit"
	UpdateCloseAssessment  = "close_assessment"
)

// AssessmentWorkflowID is the workflow id of a parent unit's assessment round for a year:
// opening it twice opens nothing new.
func AssessmentWorkflowID(parent uuid.UUID, year int) string {
	return fmt.Sprintf("assessment/%s/%d", parent, year)
}

// AssessmentID is the id of the round, derived from the workflow id.
func AssessmentID(parent uuid.UUID, year int) uuid.UUID {
	return uuid.NewSHA1(uuid.NameSpaceURL, []byte("liangze:"+AssessmentWorkflowID(parent, year)))
}

// AssessmentInput opens a round ranking the units directly under ParentID; the bottom
// BottomN get an interview (约谈) escalation with the Escalation timing.
type AssessmentInput struct {
	ParentID   uuid.UUID
	Year       int
	BottomN    int
	OpenedBy   uuid.UUID
	Escalation Timing
}

// ScoreUnitInput is an assessor's scores of one unit, by indicator code.
type ScoreUnitInput struct {
	ActorID uuid.UUID
	UnitID  uuid.UUID
	Scores  map[string]float64
}

// AssessmentResult is what the round ends with: the interview escalation of each bottom unit.
type AssessmentResult struct {
	State       liangze.AssessmentState
	Escalations map[uuid.UUID]uuid.UUID // unit → escalation
}

// AssessmentWorkflow runs a year-end assessment round (年终责任考核): assessors score each
// unit per indicator; a supervisor closes the round, which ranks the units by weighted
// total, archives each result in its leaders' integrity files, takes award eligibility
// from the bottom N and opens, once each, an interview escalation for their heads.
func AssessmentWorkflow(ctx workflow.Context, in AssessmentInput) (AssessmentResult, error) {
	r := &assessmentRun{in: in, wfID: workflow.GetInfo(ctx).WorkflowExecution.ID, id: AssessmentID(in.ParentID, in.Year),
		res: AssessmentResult{State: liangze.AssessmentScoring, Escalations: map[uuid.UUID]uuid.UUID{}}}
	if err := r.setup(ctx); err != nil {
		return r.res, err
	}
	ctx = workflow.WithActivityOptions(ctx, activityOptions)
	err := workflow.ExecuteActivity(ctx, a.OpenAssessment, activities.OpenAssessmentParams{Change: r.change(ctx, "open", &in.OpenedBy),
		WorkflowID: r.wfID, ParentID: in.ParentID, Year: in.Year, BottomN: in.BottomN}).Get(ctx, nil)
	if err != nil {
		return r.res, err
	}
	r.ready = true
	if err := workflow.Await(ctx, func() bool { return r.res.State == liangze.AssessmentClosed }); err != nil {
		return r.res, err
	}
	for _, b := range r.bottom {
		if err := r.interview(ctx, b); err != nil {
			return r.res, err
		}
	}
	return r.res, workflow.Await(ctx, func() bool { return workflow.AllHandlersFinished(ctx) })
}

type assessmentRun struct {
	in     AssessmentInput
	wfID   string
	id     uuid.UUID
	turns  turns
	ready  bool
	closer uuid.UUID
	bottom []store.BottomUnit
	res    AssessmentResult
	seq    int
}

func (r *assessmentRun) setup(ctx workflow.Context) error {
	err := workflow.SetUpdateHandlerWithOptions(ctx, UpdateScoreUnit, r.score, workflow.UpdateHandlerOptions{Validator: r.validateScore})
	if err == nil {
		err = workflow.SetUpdateHandlerWithOptions(ctx, UpdateCloseAssessment, r.close, workflow.UpdateHandlerOptions{Validator: r.validateClose})
	}
	return err
}

func (r *assessmentRun) open() error {
	if r.res.State != liangze.AssessmentScoring {
		return refuse(liangze.ECONFLICT, "the assessment is ranked already (已排名归档): scores can no longer change")
	}
	return nil
}

func (r *assessmentRun) validateScore(in ScoreUnitInput) error {
	if len(in.Scores) == 0 {
		return refuse(liangze.EINVALID, "scores: scores are required, by indicator code")
	}
	return r.open()
}

func (r *assessmentRun) score(ctx workflow.Context, in ScoreUnitInput) (liangze.AssessmentState, error) {
	err := underLock(ctx, &r.turns, func() bool { return r.ready }, func() error { return r.validateScore(in) }, func(ctx workflow.Context) error {
		return workflow.ExecuteActivity(ctx, a.ScoreUnit, activities.ScoreUnitParams{Change: r.change(ctx, "score", &in.ActorID),
			UnitID: in.UnitID, Scores: in.Scores}).Get(ctx, nil)
	})
	return r.res.State, err
}

func (r *assessmentRun) validateClose(in ActorInput) error { return r.open() }

// close ranks and archives; the workflow then opens the interviews.
func (r *assessmentRun) close(ctx workflow.Context, in ActorInput) (liangze.AssessmentState, error) {
	err := underLock(ctx, &r.turns, func() bool { return r.ready }, func() error { return r.validateClose(in) }, func(ctx workflow.Context) error {
		var bottom []store.BottomUnit
		err := workflow.ExecuteActivity(ctx, a.CloseAssessment, r.change(ctx, "close", &in.ActorID)).Get(ctx, &bottom)
		if err == nil {
			r.bottom, r.closer, r.res.State = bottom, in.ActorID, liangze.AssessmentClosed
		}
		return err
	})
	return r.res.State, err
}

// interview opens the bottom unit's interview (约谈) escalation for its head, proposed by
// the supervisor who closed the round: another supervisor approves it (four-eyes).
func (r *assessmentRun) interview(ctx workflow.Context, b store.BottomUnit) error {
	id := uuid.NewSHA1(r.id, []byte("interview/"+b.UnitID.String()))
	err := startEscalation(ctx, EscalationInput{EscalationID: id, UnitID: b.UnitID,
		PersonID: b.HeadID, Trigger: "assessment_bottom", Severity: liangze.SeverityGeneral, Level: liangze.LevelInterview,
		Problem: fmt.Sprintf("%d年度党风廉政建设责任制考核排名末位（第%d名，%.2f分） / bottom-ranked in the %d responsibility assessment (rank %d, %.2f)",
			r.in.Year, b.Rank, b.Total, r.in.Year, b.Rank, b.Total),
		Reason: "考核排名末位，依规约谈主要负责人 / bottom-ranked: the head is interviewed", ProposedBy: &r.closer, Timing: r.in.Escalation})
	if err != nil {
		return err
	}
	r.res.Escalations[b.UnitID] = id
	return workflow.ExecuteActivity(ctx, a.LinkAssessmentEscalation, activities.LinkAssessmentEscalationParams{
		Change: r.change(ctx, "interview", nil), UnitID: b.UnitID, EscalationID: id}).Get(ctx, nil)
}

func (r *assessmentRun) change(ctx workflow.Context, action string, actor *uuid.UUID) store.AssessmentChange {
	r.seq++
	return store.AssessmentChange{Key: fmt.Sprintf("%s/%s#%d", r.wfID, action, r.seq), AssessmentID: r.id, Actor: actor, At: workflow.Now(ctx)}
}
