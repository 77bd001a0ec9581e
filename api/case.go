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

type openCaseRequest struct {
	ID            string   `json:"id"`
	UnitID        string   `json:"unit_id"`
	PersonID      string   `json:"person_id"`
	ClueSource    string   `json:"clue_source"`
	Summary       string   `json:"summary"`
	Category      string   `json:"category"`
	Evidence      []string `json:"evidence"`
	ViolationDate string   `json:"violation_date"`
	Severity      string   `json:"severity"`
}

// recuse refuses a user who is the person concerned or holds or held a position in the
// unit concerned (回避).
func (s *Server) recuse(ctx context.Context, u liangze.User, unit uuid.UUID, person *uuid.UUID) error {
	if u.PersonID == nil {
		return nil
	}
	if person != nil && *u.PersonID == *person {
		return liangze.Errorf(liangze.EFORBIDDEN, "recusal (回避): you may not act on a case about yourself")
	}
	held, err := s.Store.PersonHoldsPositionIn(ctx, *u.PersonID, unit)
	if err != nil {
		return err
	}
	if held {
		return liangze.Errorf(liangze.EFORBIDDEN, "recusal (回避): you hold or held a position in unit %s, which this concerns", unit)
	}
	return nil
}

func (s *Server) caseInput(c *gin.Context, u liangze.User, r openCaseRequest) (workflows.CaseInput, error) {
	in := workflows.CaseInput{ClueSource: strings.TrimSpace(r.ClueSource), Summary: strings.TrimSpace(r.Summary),
		Category: strings.TrimSpace(r.Category), Evidence: r.Evidence, OpenedBy: u.ID, InspectorUnitID: u.ScopeUnitID,
		Timing: s.CaseTiming, CaseID: uuid.New()}
	id, err := optionalID("id", r.ID)
	if err != nil {
		return in, err
	}
	if id != nil {
		in.CaseID = *id
	}
	unit, err := optionalID("unit_id", r.UnitID)
	if err == nil && unit == nil {
		err = liangze.FieldError("unit_id", "unit_id is required")
	}
	if err != nil {
		return in, err
	}
	person, err := optionalID("person_id", r.PersonID)
	if err == nil && person == nil {
		err = liangze.FieldError("person_id", "person_id is required: the party member the case is against")
	}
	if err != nil {
		return in, err
	}
	in.UnitID, in.PersonID = *unit, *person
	if in.ViolationDate, err = time.Parse(time.DateOnly, r.ViolationDate); err != nil {
		return in, liangze.FieldError("violation_date", "violation_date must be a date (YYYY-MM-DD)")
	}
	if in.ViolationDate.After(time.Now()) {
		return in, liangze.FieldError("violation_date", "violation_date is in the future")
	}
	in.Severity = liangze.Severity(r.Severity)
	if in.Severity == "" {
		in.Severity = liangze.SeverityGeneral
	}
	if !in.Severity.Valid() {
		return in, liangze.FieldError("severity", "severity must be minor (轻微), general (一般) or serious (严重)")
	}
	for _, f := range [][2]string{{"clue_source", in.ClueSource}, {"summary", in.Summary}, {"category", in.Category}} {
		if f[1] == "" {
			return in, liangze.FieldError(f[0], "%s is required", f[0])
		}
	}
	esc := workflows.EscalationInput{UnitID: in.UnitID, PersonID: &in.PersonID}
	if err := s.checkSubject(c, u, esc); err != nil {
		return in, err
	}
	return in, s.recuse(c.Request.Context(), u, in.UnitID, &in.PersonID)
}

// openCase starts a case (inspector). A retried request with the same id starts nothing new.
func (s *Server) openCase(c *gin.Context) {
	u := caller(c)
	var r openCaseRequest
	err := requireRole(u, liangze.RoleInspector)
	if err == nil {
		err = bindJSON(c, &r)
	}
	var in workflows.CaseInput
	if err == nil {
		in, err = s.caseInput(c, u, r)
	}
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	s.startCase(c, in)
}

type caseFromEscalationRequest struct {
	Category      string `json:"category"`
	ViolationDate string `json:"violation_date"`
	ClueSource    string `json:"clue_source"`
}

// caseFromEscalation opens a case from an escalation handed over to accountability (问责),
// linked to it, in one call.
func (s *Server) caseFromEscalation(c *gin.Context) {
	u := caller(c)
	var r caseFromEscalationRequest
	e, err := s.scopedEscalation(c)
	if err == nil {
		err = requireRole(u, liangze.RoleInspector)
	}
	if err == nil && e.State != liangze.EscalationHandedOver {
		err = liangze.Errorf(liangze.ECONFLICT, "escalation is %s; only one handed over to accountability (问责) opens a case", e.State)
	}
	if err == nil && e.PersonID == nil {
		err = liangze.Errorf(liangze.ECONFLICT, "escalation names no person to open a case against")
	}
	if err == nil {
		err = bindJSON(c, &r)
	}
	if r.ClueSource == "" {
		r.ClueSource = "督办升级移交问责 / escalation " + e.ID.String()
	}
	var in workflows.CaseInput
	if err == nil {
		in, err = s.caseInput(c, u, openCaseRequest{ID: uuid.NewSHA1(e.ID, []byte("case")).String(), UnitID: e.UnitID.String(),
			PersonID: e.PersonID.String(), ClueSource: r.ClueSource, Summary: e.Problem, Category: r.Category,
			ViolationDate: r.ViolationDate})
	}
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	in.EscalationID = &e.ID
	s.startCase(c, in)
}

func (s *Server) startCase(c *gin.Context, in workflows.CaseInput) {
	status := http.StatusCreated
	_, err := s.Temporal.ExecuteWorkflow(c.Request.Context(), client.StartWorkflowOptions{
		ID: workflows.CaseWorkflowID(in.CaseID), TaskQueue: s.TaskQueue,
		WorkflowIDReusePolicy:                    enums.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE,
		WorkflowExecutionErrorWhenAlreadyStarted: true,
	}, workflows.CaseWorkflowName, in)
	var started *serviceerror.WorkflowExecutionAlreadyStarted
	if errors.As(err, &started) {
		status, err = http.StatusOK, nil
	}
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	s.Log.Info("case opened", "case", in.CaseID, "unit", in.UnitID, "escalation", in.EscalationID)
	cs, err := awaitRow(c.Request.Context(), func(ctx context.Context) (liangze.Case, error) {
		cs, err := s.Store.Case(ctx, in.CaseID)
		if err == nil && cs.StageDueAt == nil && !s.CaseTiming.Verification.IsZero() {
			err = errors.New("stage not stored yet")
		}
		return cs, err
	})
	c.Header("Location", "/api/v1/cases/"+in.CaseID.String())
	if err != nil {
		c.JSON(http.StatusAccepted, gin.H{"id": in.CaseID, "detail": "started; not stored yet, read it at Location"})
		return
	}
	c.JSON(status, cs)
}

// awaitRow polls get briefly until it succeeds: the workflow's first activities store the row.
func awaitRow[T any](ctx context.Context, get func(context.Context) (T, error)) (T, error) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	for {
		v, err := get(ctx)
		if err == nil {
			return v, nil
		}
		select {
		case <-ctx.Done():
			return v, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

func (s *Server) scopedCase(c *gin.Context) (liangze.Case, error) {
	id, err := idParam(c, "id")
	if err != nil {
		return liangze.Case{}, err
	}
	cs, err := s.Store.Case(c.Request.Context(), id)
	if err != nil {
		return cs, err
	}
	return cs, s.requireScope(c, caller(c), cs.UnitID)
}

func timeParam(c *gin.Context, name string) (*time.Time, error) {
	v := c.Query(name)
	if v == "" {
		return nil, nil
	}
	t, err := time.ParseInLocation(time.DateOnly, v, liangze.ChinaTime)
	if err != nil {
		return nil, liangze.FieldError(name, "%s must be a date (YYYY-MM-DD)", name)
	}
	return &t, nil
}

func (s *Server) listCases(c *gin.Context) {
	u := caller(c)
	p, err := pageOf(c)
	f := store.CaseFilter{Scope: u.ScopeUnitID, Stage: liangze.CaseStage(c.Query("stage")), Limit: p.Size, Offset: p.offset()}
	if err == nil {
		f.Unit, err = optionalID("unit_id", c.Query("unit_id"))
	}
	if err == nil {
		f.From, err = timeParam(c, "from")
	}
	if err == nil {
		f.To, err = timeParam(c, "to")
	}
	if err == nil && f.Stage != "" && !f.Stage.Valid() {
		err = liangze.FieldError("stage", "stage must be verification, investigation, decision or closed")
	}
	respondPage(s, c, p, err, func(ctx context.Context) ([]liangze.Case, int, error) { return s.Store.Cases(ctx, f) })
}

// caseStats counts decided cases for the quarterly report: ?from=&to= (dates, to
// exclusive), ?unit_id= for a subtree of the caller's scope.
func (s *Server) caseStats(c *gin.Context) {
	u := caller(c)
	root, err := optionalID("unit_id", c.Query("unit_id"))
	var from, to *time.Time
	if err == nil {
		from, err = timeParam(c, "from")
	}
	if err == nil {
		to, err = timeParam(c, "to")
	}
	if err == nil && (from == nil || to == nil) {
		err = liangze.FieldError("from", "from and to are required, e.g. from=2026-01-01&to=2026-04-01")
	}
	scope := u.ScopeUnitID
	if err == nil && root != nil {
		err, scope = s.requireScope(c, u, *root), *root
	}
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	st, err := s.Store.CaseStats(c.Request.Context(), scope, *from, *to)
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	c.JSON(http.StatusOK, st)
}

// caseAction handles a request acting on a case through an update of the workflow
// workflowID names: role, scope and recusal are checked here, state and four-eyes by the
// workflow.
func caseAction[R any](s *Server, roles []liangze.Role, update string, workflowID func(*gin.Context, liangze.Case) (string, uuid.UUID, error),
	input func(u liangze.User, r R) (any, error)) gin.HandlerFunc {
	return updateAction(s, update, func(c *gin.Context, u liangze.User) (target, error) {
		var wf string
		var unit uuid.UUID
		cs, err := s.scopedCase(c)
		if err == nil {
			err = requireRole(u, roles...)
		}
		if err == nil && cs.Stage == liangze.StageClosed {
			err = liangze.Errorf(liangze.ECONFLICT, "the case is closed")
		}
		if err == nil {
			wf, unit, err = workflowID(c, cs)
		}
		if err == nil {
			err = s.recuse(c.Request.Context(), u, unit, &cs.PersonID)
		}
		return target{wf, func(ctx context.Context) (any, error) { return s.Store.Case(ctx, cs.ID) }}, err
	}, func(_ *gin.Context, u liangze.User, r R) (any, error) { return input(u, r) })
}

// theCase targets the case workflow, about the case's unit.
func theCase(_ *gin.Context, cs liangze.Case) (string, uuid.UUID, error) {
	return cs.WorkflowID, cs.UnitID, nil
}

// theDecision targets the case workflow for a decision. When both investigations have
// their findings the case is on its way to the decision stage: it is waited for briefly.
func (s *Server) theDecision(c *gin.Context, cs liangze.Case) (string, uuid.UUID, error) {
	finished := cs.ViolationEstablished != nil && len(cs.Levels) > 0
	for _, l := range cs.Levels {
		finished = finished && l.State != "investigating"
	}
	if cs.Stage == liangze.StageInvestigation && finished {
		_, _ = awaitRow(c.Request.Context(), func(ctx context.Context) (liangze.Case, error) {
			cs, err := s.Store.Case(ctx, cs.ID)
			if err == nil && cs.Stage == liangze.StageInvestigation {
				err = errors.New("decision stage not entered yet")
			}
			return cs, err
		})
	}
	return cs.WorkflowID, cs.UnitID, nil
}

// theLevel targets the responsibility investigation of the level in the path, about that
// level's unit. A level whose lower level was just found at fault is on its way: it is
// waited for briefly.
func (s *Server) theLevel(c *gin.Context, cs liangze.Case) (string, uuid.UUID, error) {
	n, err := strconv.Atoi(c.Param("level"))
	if err != nil || n < 1 {
		return "", uuid.Nil, liangze.FieldError("level", "level must be a number from 1")
	}
	find := func(cs liangze.Case) (liangze.CaseLevel, bool) {
		for _, l := range cs.Levels {
			if l.Level == n {
				return l, true
			}
		}
		return liangze.CaseLevel{}, false
	}
	l, ok := find(cs)
	if !ok && ((n == 1 && cs.Stage == liangze.StageInvestigation) || (n >= 2 && n-2 < len(cs.Levels) && cs.Levels[n-2].State == "at_fault")) {
		cs, err = awaitRow(c.Request.Context(), func(ctx context.Context) (liangze.Case, error) {
			cs, err := s.Store.Case(ctx, cs.ID)
			if _, ok := find(cs); err == nil && !ok {
				err = errors.New("level not stored yet")
			}
			return cs, err
		})
		l, ok = find(cs)
	}
	if !ok {
		return "", uuid.Nil, liangze.Errorf(liangze.ENOTFOUND, "the responsibility investigation has not reached level %d", n)
	}
	return workflows.LevelWorkflowID(cs.ID, n), l.UnitID, nil
}

type approvalRequest struct {
	Approve *bool  `json:"approve"`
	Comment string `json:"comment"`
}

func approvalInput(u liangze.User, r approvalRequest) (any, error) {
	if r.Approve == nil {
		return nil, liangze.FieldError("approve", "approve is required: true or false")
	}
	if !*r.Approve && strings.TrimSpace(r.Comment) == "" {
		return nil, liangze.FieldError("comment", "a refusal needs a comment giving the reason")
	}
	return workflows.ApprovalInput{ActorID: u.ID, Approve: *r.Approve, Comment: r.Comment}, nil
}

type filingRequest struct {
	File    *bool  `json:"file"`
	Comment string `json:"comment"`
}

type violationRequest struct {
	Established *bool  `json:"established"`
	Finding     string `json:"finding"`
}

type levelFindingRequest struct {
	PrimaryAtFault     bool              `json:"primary_at_fault"`
	SupervisoryAtFault bool              `json:"supervisory_at_fault"`
	Summary            string            `json:"summary"`
	Persons            []liangze.Finding `json:"persons"`
}

type extensionRequest struct {
	Period *liangze.Period `json:"period"`
	Reason string          `json:"reason"`
}

type decisionProposalRequest struct {
	Forms []liangze.DecisionForm `json:"forms"`
}

var inspectors = []liangze.Role{liangze.RoleInspector}

func (s *Server) caseRoutes(g *gin.RouterGroup) {
	g.POST("/cases", s.openCase)
	g.GET("/cases", s.listCases)
	g.GET("/cases/stats", s.caseStats)
	g.GET("/cases/:id", withAudit(s, "case", "case", s.scopedCase, func(cs liangze.Case) uuid.UUID { return cs.ID }))
	g.POST("/escalations/:id/case", s.caseFromEscalation)
	g.POST("/cases/:id/filing", caseAction(s, supervisors, workflows.UpdateDecideFiling, theCase,
		func(u liangze.User, r filingRequest) (any, error) {
			if r.File == nil {
				return nil, liangze.FieldError("file", "file is required: true to file (立案), false to close")
			}
			if !*r.File && strings.TrimSpace(r.Comment) == "" {
				return nil, liangze.FieldError("comment", "closing without filing needs a reason")
			}
			return workflows.FilingInput{ActorID: u.ID, File: *r.File, Comment: r.Comment}, nil
		}))
	g.POST("/cases/:id/violation", caseAction(s, inspectors, workflows.UpdateRecordViolation, theCase,
		func(u liangze.User, r violationRequest) (any, error) {
			if r.Established == nil {
				return nil, liangze.FieldError("established", "established is required: was the violation established?")
			}
			if strings.TrimSpace(r.Finding) == "" {
				return nil, liangze.FieldError("finding", "finding is required")
			}
			return workflows.ViolationInput{ActorID: u.ID, Established: *r.Established, Finding: r.Finding}, nil
		}))
	g.POST("/cases/:id/levels/:level/finding", caseAction(s, inspectors, workflows.UpdateRecordLevelFinding, s.theLevel,
		func(u liangze.User, r levelFindingRequest) (any, error) {
			if strings.TrimSpace(r.Summary) == "" {
				return nil, liangze.FieldError("summary", "summary is required")
			}
			return workflows.LevelFindingInput{ActorID: u.ID, PrimaryAtFault: r.PrimaryAtFault,
				SupervisoryAtFault: r.SupervisoryAtFault, Summary: r.Summary, Persons: r.Persons}, nil
		}))
	g.POST("/cases/:id/extensions", caseAction(s, inspectors, workflows.UpdateRequestExtension, theCase,
		func(u liangze.User, r extensionRequest) (any, error) {
			if r.Period == nil {
				return nil, liangze.FieldError("period", "period is required, e.g. {\"n\": 30, \"unit\": \"calendar_days\"}")
			}
			if err := r.Period.Validate("period"); err != nil {
				return nil, err
			}
			if strings.TrimSpace(r.Reason) == "" {
				return nil, liangze.FieldError("reason", "reason is required")
			}
			return workflows.ExtensionInput{ActorID: u.ID, Period: *r.Period, Reason: r.Reason}, nil
		}))
	g.POST("/cases/:id/extensions/decision", caseAction(s, supervisors, workflows.UpdateDecideExtension, theCase, approvalInput))
	g.POST("/cases/:id/decision", caseAction(s, inspectors, workflows.UpdateProposeDecision, s.theDecision,
		func(u liangze.User, r decisionProposalRequest) (any, error) {
			if len(r.Forms) == 0 {
				return nil, liangze.FieldError("forms", "forms is required: one or more {person_id, form, basis}")
			}
			for _, f := range r.Forms {
				if !f.Form.Valid() {
					return nil, liangze.FieldError("forms", "form %q is not one of organisational, disciplinary, admonishment, circulated_criticism, written_self_criticism, veto, economic", f.Form)
				}
			}
			return workflows.DecisionInput{ActorID: u.ID, Forms: r.Forms}, nil
		}))
	g.POST("/cases/:id/decision/approval", caseAction(s, supervisors, workflows.UpdateDecideDecision, theCase, approvalInput))
}
