package api

import (
	"context"
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"liangze"
)

// inbox returns the caller's reminders, newest first; ?unread=true for unread only.
func (s *Server) inbox(c *gin.Context) {
	p, err := pageOf(c)
	respondPage(s, c, p, err, func(ctx context.Context) ([]liangze.Reminder, int, error) {
		return s.Store.Inbox(ctx, caller(c).ID, c.Query("unread") == "true", p.Size, p.offset())
	})
}

func (s *Server) markRead(c *gin.Context) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		fail(c, s.Log, liangze.FieldError("id", "%q is not a reminder id", c.Param("id")))
		return
	}
	if err := s.Store.MarkRead(c.Request.Context(), caller(c).ID, id); err != nil {
		fail(c, s.Log, err)
		return
	}
	c.Status(http.StatusNoContent)
}
