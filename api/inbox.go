package api

import (
	"net/http"
	"strconv"

	"github.com/gin-gonic/gin"

	"liangze"
)

// inbox returns the caller's reminders, newest first; ?unread=true for unread only.
func (s *Server) inbox(c *gin.Context) {
	p, err := pageOf(c)
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	list, total, err := s.Store.Inbox(c.Request.Context(), caller(c).ID, c.Query("unread") == "true", p.Size, p.offset())
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	c.JSON(http.StatusOK, listOf(list, p, total))
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
