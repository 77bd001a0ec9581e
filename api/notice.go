package api

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"
	"go.temporal.io/api/enums/v1"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/sdk/client"

	"liangze"
	"liangze/workflows"
)

type startNoticeRequest struct {
	From string `json:"from"` // YYYY-MM-DD, default: two months before this month
	To   string `json:"to"`
}

// startNotice drafts the exposure notice of the caller's subtree for a period (admin or
// supervisor); one notice per subtree and period.
func (s *Server) startNotice(c *gin.Context) {
	u := caller(c)
	var r startNoticeRequest
	err := requireRole(u, liangze.RoleAdmin, liangze.RoleSupervisor)
	if err == nil {
		err = bindJSON(c, &r)
	}
	in := workflows.NoticeInput{RootUnitID: u.ScopeUnitID}
	if err == nil {
		now := time.Now().In(liangze.ChinaTime)
		in.To = time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, liangze.ChinaTime)
		in.From = in.To.AddDate(0, -2, 0)
		for _, f := range []struct {
			name, v string
			dst     *time.Time
		}{{"from", r.From, &in.From}, {"to", r.To, &in.To}} {
			if f.v == "" || err != nil {
				continue
			}
			if *f.dst, err = time.ParseInLocation(time.DateOnly, f.v, liangze.ChinaTime); err != nil {
				err = liangze.FieldError(f.name, "%s must be a date (YYYY-MM-DD)", f.name)
			}
		}
	}
	if err == nil && !in.To.After(in.From) {
		err = liangze.FieldError("to", "to must be after from")
	}
	status := http.StatusAccepted
	if err == nil {
		_, err = s.Temporal.ExecuteWorkflow(c.Request.Context(), client.StartWorkflowOptions{
			ID: workflows.NoticeWorkflowID(in.RootUnitID, in.From), TaskQueue: s.TaskQueue,
			WorkflowIDReusePolicy: enums.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE, WorkflowExecutionErrorWhenAlreadyStarted: true,
		}, workflows.NoticeWorkflowName, in)
		var started *serviceerror.WorkflowExecutionAlreadyStarted
		if errors.As(err, &started) {
			status, err = http.StatusOK, nil
		}
	}
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	id := workflows.NoticeID(in.RootUnitID, in.From)
	c.Header("Location", "/api/v1/notices/"+id.String())
	c.JSON(status, gin.H{"id": id, "period_from": in.From, "period_to": in.To})
}

// listNotices lists the published notices that concern the caller; supervisors and admins
// see drafts too.
func (s *Server) listNotices(c *gin.Context) {
	u := caller(c)
	drafts := u.Role == liangze.RoleSupervisor || u.Role == liangze.RoleAdmin
	list, err := s.Store.Notices(c.Request.Context(), u.ScopeUnitID, drafts)
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": list, "total": len(list)})
}

func (s *Server) getNotice(c *gin.Context) {
	u := caller(c)
	id, err := idParam(c, "id")
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	n, err := s.Store.NoticeByID(c.Request.Context(), id)
	if err == nil && n.State != "published" && u.Role != liangze.RoleSupervisor && u.Role != liangze.RoleAdmin {
		err = liangze.Errorf(liangze.ENOTFOUND, "notice %s not found", id)
	}
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	c.JSON(http.StatusOK, n)
}

type noticeDecisionRequest struct {
	Publish *bool  `json:"publish"`
	Comment string `json:"comment"`
}

// decideNotice publishes or rejects a notice draft (supervisor whose scope holds its subtree).
func (s *Server) decideNotice(c *gin.Context) {
	u := caller(c)
	var r noticeDecisionRequest
	id, err := idParam(c, "id")
	if err == nil {
		err = requireRole(u, liangze.RoleSupervisor)
	}
	var root uuid.UUID
	if err == nil {
		notice, e := s.Store.NoticeByID(c.Request.Context(), id)
		err, root = e, notice.RootUnitID
		if err == nil {
			err = s.requireScope(c, u, root)
		}
		if err == nil {
			err = bindJSON(c, &r)
		}
		if err == nil && r.Publish == nil {
			err = liangze.FieldError("publish", "publish is required: true to publish, false to reject")
		}
		if err == nil && !*r.Publish && strings.TrimSpace(r.Comment) == "" {
			err = liangze.FieldError("comment", "a rejection needs a reason")
		}
		if err == nil {
			err = s.update(c.Request.Context(), notice.WorkflowID, workflows.UpdateDecideNotice, c.GetHeader("Idempotency-Key"),
				workflows.NoticeDecision{ActorID: u.ID, Publish: *r.Publish, Comment: r.Comment})
		}
	}
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	s.Log.Info("notice decided", "notice", id, "publish", *r.Publish, "by", u.Username)
	s.getNotice(c)
}

func (s *Server) noticeRoutes(g *gin.RouterGroup) {
	g.POST("/notices/start", s.startNotice)
	g.GET("/notices", s.listNotices)
	g.GET("/notices/:id", s.getNotice)
	g.POST("/notices/:id/decision", s.decideNotice)
}
