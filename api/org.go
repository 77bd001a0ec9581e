package api

import (
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/google/uuid"

	"liangze"
)

// idParam parses a uuid path parameter.
func idParam(c *gin.Context, name string) (uuid.UUID, error) {
	id, err := uuid.Parse(c.Param(name))
	if err != nil {
		return uuid.Nil, liangze.FieldError(name, "%q is not a valid id (a UUID is expected)", c.Param(name))
	}
	return id, nil
}

// listUnits returns the caller's subtree, or the subtree of ?root= inside it.
func (s *Server) listUnits(c *gin.Context) {
	u := caller(c)
	root := u.ScopeUnitID
	if v := c.Query("root"); v != "" {
		id, err := uuid.Parse(v)
		if err != nil {
			fail(c, s.Log, liangze.FieldError("root", "%q is not a valid unit id", v))
			return
		}
		if err := s.requireScope(c, u, id); err != nil {
			fail(c, s.Log, err)
			return
		}
		root = id
	}
	units, err := s.Store.Units(c.Request.Context(), root)
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"items": units, "total": len(units)})
}

// getUnit returns a unit with who carries its two responsibilities and the positions in it
// (current ones, or all with ?all=true).
func (s *Server) getUnit(c *gin.Context) {
	ctx := c.Request.Context()
	id, err := idParam(c, "id")
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	unit, err := s.Store.Unit(ctx, id)
	if err == nil {
		err = s.requireScope(c, caller(c), id)
	}
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	primary, supervisory, err := s.Store.Subjects(ctx, unit)
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	positions, err := s.Store.Positions(ctx, id, c.Query("all") != "true")
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"unit": unit, "primary_responsibility": primary,
		"supervisory_responsibility": supervisory, "positions": positions})
}

// getPerson returns a person with every position held, former ones included.
func (s *Server) getPerson(c *gin.Context) {
	ctx := c.Request.Context()
	id, err := idParam(c, "id")
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	person, err := s.Store.Person(ctx, id)
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	positions, err := s.Store.PersonPositions(ctx, id)
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	inScope := false
	for _, p := range positions {
		ok, err := s.Store.InSubtree(ctx, caller(c).ScopeUnitID, p.UnitID)
		if err != nil {
			fail(c, s.Log, err)
			return
		}
		inScope = inScope || ok
	}
	if !inScope {
		fail(c, s.Log, liangze.Errorf(liangze.EFORBIDDEN, "person %s holds no position in your scope", id))
		return
	}
	c.JSON(http.StatusOK, gin.H{"person": person, "positions": positions})
}
