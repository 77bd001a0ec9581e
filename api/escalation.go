package api

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
	"go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"

	"liangze"
	"liangze/store"
	"liangze/workflows"
)

type openRequest struct {
	ID       string `json:"id"`
	UnitID   string `json:"unit_id"`
	PersonID string `json:"person_id"`
	Level    string `json:"level"`
	Severity string `json:"severity"`
	Problem  string `json:"problem"`
	Reason   string `json:"reason"`
	Trigger  string `json:"trigger"`
}

func optionalID(field, v string) (*uuid.UUID, error) {
	if v == "" {
		return nil, nil
	}
	id, err := uuid.Parse(v)
	if err != nil {
		return nil, liangze.FieldError(field, "%q is not a valid id (a UUID is expected)", v)
	}
	return &id, nil
}

// input checks the request and turns it into the workflow's input.
func (s *Server) openInput(c *gin.Context, u liangze.User, r openRequest) (workflows.EscalationInput, error) {
	in := workflows.EscalationInput{Level: liangze.Level(r.Level), Severity: liangze.Severity(r.Severity),
		Problem: strings.TrimSpace(r.Problem), Reason: strings.TrimSpace(r.Reason), Trigger: r.Trigger,
		ProposedBy: &u.ID, Timing: s.Timing}
	id, err := optionalID("id", r.ID)
	if err != nil {
		return in, err
	}
	in.EscalationID = uuid.New()
	if id != nil {
		in.EscalationID = *id
	}
	unit, err := optionalID("unit_id", r.UnitID)
	if err != nil {
		return in, err
	}
	if unit == nil {
		return in, liangze.FieldError("unit_id", "unit_id is required")
	}
	in.UnitID = *unit
	if in.PersonID, err = optionalID("person_id", r.PersonID); err != nil {
		return in, err
	}
	if !in.Level.Valid() {
		return in, liangze.FieldError("level", "level must be one of %s", ladderNames())
	}
	if in.Severity == "" {
		in.Severity = liangze.SeverityGeneral
	}
	if !in.Severity.Valid() {
		return in, liangze.FieldError("severity", "severity must be minor (轻微), general (一般) or serious (严重)")
	}
	if in.Problem == "" {
		return in, liangze.FieldError("problem", "problem is required: describe what is to be rectified")
	}
	if in.Trigger == "" {
		in.Trigger = "inspector_proposal"
	}
	return in, s.checkSubject(c, u, in)
}

// checkSubject checks the unit exists and is in scope, and the person holds a position there.
func (s *Server) checkSubject(c *gin.Context, u liangze.User, in workflows.EscalationInput) error {
	ctx := c.Request.Context()
	if _, err := s.Store.Unit(ctx, in.UnitID); err != nil {
		if liangze.ErrorCode(err) == liangze.ENOTFOUND {
			return liangze.FieldError("unit_id", "unit %s does not exist", in.UnitID)
		}
		return err
	}
	if err := s.requireScope(c, u, in.UnitID); err != nil {
		return err
	}
	if in.PersonID == nil {
		return nil
	}
	ok, err := s.Store.PersonHoldsPositionIn(ctx, *in.PersonID, in.UnitID)
	if err != nil {
		return err
	}
	if !ok {
		return liangze.FieldError("person_id", "person %s holds no position in unit %s", *in.PersonID, in.UnitID)
	}
	return nil
}

func ladderNames() string {
	names := make([]string, len(liangze.Ladder))
	for i, l := range liangze.Ladder {
		names[i] = string(l)
	}
	return strings.Join(names, ", ")
}

// openEscalation starts an escalation workflow at the proposed level. Inspectors propose;
// a supervisor may too, but then another supervisor must approve. A retried request with the same id
// starts nothing new and returns the escalation already open.
func (s *Server) openEscalation(c *gin.Context) {
	u := caller(c)
	var r openRequest
	err := requireRole(u, inspectorsOrSups...)
	if err == nil {
		err = bindJSON(c, &r)
	}
	var in workflows.EscalationInput
	if err == nil {
		in, err = s.openInput(c, u, r)
	}
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	status := http.StatusCreated
	_, err = s.Temporal.ExecuteWorkflow(c.Request.Context(), client.StartWorkflowOptions{
		ID: workflows.EscalationWorkflowID(in.EscalationID), TaskQueue: s.TaskQueue,
		WorkflowIDReusePolicy:                    enums.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
		WorkflowExecutionErrorWhenAlreadyStarted: true,
	}, workflows.EscalationWorkflowName, in)
	var started *serviceerror.WorkflowExecutionAlreadyStarted
	if errors.As(err, &started) {
		status, err = http.StatusOK, nil
	}
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	s.Log.Info("escalation opened", "escalation", in.EscalationID, "unit", in.UnitID, "level", in.Level, "by", u.Username)
	e, err := s.awaitStored(c.Request.Context(), in.EscalationID)
	if err != nil {
		c.Header("Location", "/api/v1/escalations/"+in.EscalationID.String())
		c.JSON(http.StatusAccepted, gin.H{"id": in.EscalationID, "detail": "started; not stored yet, read it at Location"})
		return
	}
	c.Header("Location", "/api/v1/escalations/"+e.ID.String())
	c.JSON(status, e)
}

// awaitStored waits briefly for the workflow's first activities to store the escalation.
func (s *Server) awaitStored(ctx context.Context, id uuid.UUID) (liangze.Escalation, error) {
	return awaitRow(ctx, func(ctx context.Context) (liangze.Escalation, error) {
		e, err := s.Store.Escalation(ctx, id)
		if err == nil && len(e.Steps) == 0 {
			err = errors.New("first step not stored yet")
		}
		return e, err
	})
}

func (s *Server) listEscalations(c *gin.Context) {
	u := caller(c)
	p, err := pageOf(c)
	f := store.EscalationFilter{Scope: u.ScopeUnitID, Level: liangze.Level(c.Query("level")),
		State: liangze.EscalationState(c.Query("state")), Severity: liangze.Severity(c.Query("severity")),
		Limit: p.Size, Offset: p.offset()}
	if err == nil {
		f.Unit, err = optionalID("unit_id", c.Query("unit_id"))
	}
	switch {
	case err != nil:
	case f.Level != "" && !f.Level.Valid():
		err = liangze.FieldError("level", "level must be one of %s", ladderNames())
	case f.State != "" && !f.State.Valid():
		err = liangze.FieldError("state", "state must be open, rectified, rejected or handed_over")
	case f.Severity != "" && !f.Severity.Valid():
		err = liangze.FieldError("severity", "severity must be minor, general or serious")
	}
	respondPage(s, c, p, err, func(ctx context.Context) ([]liangze.Escalation, int, error) { return s.Store.Escalations(ctx, f) })
}

// scopedEscalation loads the escalation named in the path, if it lies in the caller's scope.
func (s *Server) scopedEscalation(c *gin.Context) (liangze.Escalation, error) {
	id, err := idParam(c, "id")
	if err != nil {
		return liangze.Escalation{}, err
	}
	e, err := s.Store.Escalation(c.Request.Context(), id)
	if err != nil {
		return e, err
	}
	return e, s.requireScope(c, caller(c), e.UnitID)
}

// stepAction handles a request acting on the escalation step in the path: role, scope and
// an open escalation are checked here, state and four-eyes by the workflow's validator.
func stepAction[R any](s *Server, roles []liangze.Role, update string, input func(stepNo int, u liangze.User, r R) (any, error)) gin.HandlerFunc {
	return updateAction(s, update, func(c *gin.Context, u liangze.User) (target, error) {
		e, err := s.scopedEscalation(c)
		if err == nil {
			err = requireRole(u, roles...)
		}
		if step, perr := strconv.Atoi(c.Param("step")); err == nil && (perr != nil || step < 1) {
			err = liangze.FieldError("step", "step must be a step number from 1")
		}
		if err == nil && e.State != liangze.EscalationOpen {
			err = liangze.Errorf(liangze.ECONFLICT, "escalation is closed (%s / %s)", e.StateLabel.ZH, e.StateLabel.EN)
		}
		return target{e.WorkflowID, func(ctx context.Context) (any, error) { return s.Store.Escalation(ctx, e.ID) }}, err
	}, func(c *gin.Context, u liangze.User, r R) (any, error) {
		step, _ := strconv.Atoi(c.Param("step")) // checked above
		return input(step, u, r)
	})
}

// target is what an action request acts on: the workflow to update, and how to read the
// stored result back afterwards.
type target struct {
	workflowID string
	reread     func(context.Context) (any, error)
}

// updateAction handles a request that acts on a process through a workflow update:
// resolve checks role, scope and state and names the target, input turns the body into the
// update's argument, and the answer is the process as stored afterwards. The workflow's
// validator has the last word on state and four-eyes. An Idempotency-Key header makes a
// retried request the same update.
func updateAction[R any](s *Server, update string, resolve func(*gin.Context, liangze.User) (target, error),
	input func(*gin.Context, liangze.User, R) (any, error)) gin.HandlerFunc {
	return func(c *gin.Context) {
		u := caller(c)
		var r R
		var arg, out any
		t, err := resolve(c, u)
		if err == nil {
			err = bindJSON(c, &r)
		}
		if err == nil {
			arg, err = input(c, u, r)
		}
		if err == nil {
			err = s.update(c.Request.Context(), t.workflowID, update, c.GetHeader("Idempotency-Key"), arg)
		}
		if err == nil {
			out, err = t.reread(c.Request.Context())
		}
		if err != nil {
			fail(c, s.Log, err)
			return
		}
		s.Log.Info("action", "workflow", t.workflowID, "update", update, "by", u.Username)
		c.JSON(http.StatusOK, out)
	}
}

func (s *Server) update(ctx context.Context, workflowID, name, key string, arg any) error {
	h, err := s.Temporal.UpdateWorkflow(ctx, client.UpdateWorkflowOptions{UpdateID: key, WorkflowID: workflowID,
		UpdateName: name, Args: []any{arg}, WaitForStage: client.WorkflowUpdateStageCompleted})
	if err != nil {
		return err
	}
	return h.Get(ctx, nil)
}

type decisionRequest struct {
	Approve *bool  `json:"approve"`
	Comment string `json:"comment"`
}

type talkRequest struct {
	ConductedBy  string     `json:"conducted_by"`
	Participants string     `json:"participants"`
	HeldAt       *time.Time `json:"held_at"`
	Location     string     `json:"location"`
	Content      string     `json:"content"`
	Requirements string     `json:"requirements"`
	// RectificationPeriod is the rule to the deadline, e.g. {"n": 5, "unit": "working_days"}.
	RectificationPeriod *liangze.Period `json:"rectification_period"`
	// RectificationDays is short for {"n": days, "unit": "calendar_days"}.
	RectificationDays int `json:"rectification_days"`
}

type rectificationRequest struct {
	Report string `json:"report"`
}

type verificationRequest struct {
	Accepted *bool  `json:"accepted"`
	Comment  string `json:"comment"`
}

var (
	supervisors      = []liangze.Role{liangze.RoleSupervisor}
	inspectorsOrSups = []liangze.Role{liangze.RoleInspector, liangze.RoleSupervisor}
	unitStaff        = []liangze.Role{liangze.RoleUnitLeader, liangze.RoleClerk}
)

func (s *Server) decide(c *gin.Context) {
	stepAction(s, supervisors, workflows.UpdateDecide, func(no int, u liangze.User, r decisionRequest) (any, error) {
		if r.Approve == nil {
			return nil, liangze.FieldError("approve", "approve is required: true to approve, false to reject")
		}
		if !*r.Approve && strings.TrimSpace(r.Comment) == "" {
			return nil, liangze.FieldError("comment", "a rejection needs a comment giving the reason")
		}
		return workflows.DecideInput{StepNo: no, ActorID: u.ID, Approve: *r.Approve, Comment: r.Comment}, nil
	})(c)
}

func (s *Server) recordTalk(c *gin.Context) {
	stepAction(s, inspectorsOrSups, workflows.UpdateRecordTalk, func(no int, u liangze.User, r talkRequest) (any, error) {
		for _, f := range [][2]string{{"conducted_by", r.ConductedBy}, {"content", r.Content}, {"requirements", r.Requirements}} {
			if strings.TrimSpace(f[1]) == "" {
				return nil, liangze.FieldError(f[0], "%s is required", f[0])
			}
		}
		if r.RectificationDays < 0 || r.RectificationDays > 365 {
			return nil, liangze.FieldError("rectification_days", "rectification_days must be from 1 to 365, or left out for the default")
		}
		var period liangze.Period
		switch {
		case r.RectificationPeriod != nil && r.RectificationDays != 0:
			return nil, liangze.FieldError("rectification_period", "give rectification_period or rectification_days, not both")
		case r.RectificationPeriod != nil:
			if err := r.RectificationPeriod.Validate("rectification_period"); err != nil {
				return nil, err
			}
			period = *r.RectificationPeriod
		case r.RectificationDays != 0:
			period = liangze.Period{N: r.RectificationDays, Unit: liangze.CalendarDays}
		}
		held := time.Now()
		if r.HeldAt != nil {
			held = *r.HeldAt
		}
		return workflows.TalkInput{StepNo: no, ActorID: u.ID, ConductedBy: r.ConductedBy, Participants: r.Participants,
			HeldAt: held, Location: r.Location, Content: r.Content, Requirements: r.Requirements,
			RectificationPeriod: period}, nil
	})(c)
}

func (s *Server) submitRectification(c *gin.Context) {
	stepAction(s, unitStaff, workflows.UpdateSubmitRectification, func(no int, u liangze.User, r rectificationRequest) (any, error) {
		if strings.TrimSpace(r.Report) == "" {
			return nil, liangze.FieldError("report", "report is required: describe what was rectified")
		}
		return workflows.SubmitInput{StepNo: no, ActorID: u.ID, Report: r.Report}, nil
	})(c)
}

func (s *Server) verifyRectification(c *gin.Context) {
	stepAction(s, inspectorsOrSups, workflows.UpdateVerifyRectification, func(no int, u liangze.User, r verificationRequest) (any, error) {
		if r.Accepted == nil {
			return nil, liangze.FieldError("accepted", "accepted is required: true to accept, false to send back")
		}
		if !*r.Accepted && strings.TrimSpace(r.Comment) == "" {
			return nil, liangze.FieldError("comment", "sending a rectification back needs a comment saying what is missing")
		}
		return workflows.VerifyInput{StepNo: no, ActorID: u.ID, Accepted: *r.Accepted, Comment: r.Comment}, nil
	})(c)
}
