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
	person, positions, err := s.personInScope(c)
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"person": person, "positions": positions})
}

// personInScope loads the person in the path with their positions, refusing one who holds
// no position in the caller's scope.
func (s *Server) personInScope(c *gin.Context) (liangze.Person, []liangze.Position, error) {
	ctx := c.Request.Context()
	id, err := idParam(c, "id")
	if err != nil {
		return liangze.Person{}, nil, err
	}
	person, err := s.Store.Person(ctx, id)
	if err != nil {
		return person, nil, err
	}
	positions, err := s.Store.PersonPositions(ctx, id)
	if err != nil {
		return person, nil, err
	}
	for _, p := range positions {
		ok, err := s.Store.InSubtree(ctx, caller(c).ScopeUnitID, p.UnitID)
		if err != nil || ok {
			return person, positions, err
		}
	}
	return person, positions, liangze.Errorf(liangze.EFORBIDDEN, "person %s holds no position in your scope", id)
}

// integrityFile returns a person's integrity file (廉政档案) to the discipline side.
func (s *Server) integrityFile(c *gin.Context) {
	person, _, err := s.personInScope(c)
	if err == nil {
		err = requireRole(caller(c), liangze.RoleInspector, liangze.RoleSupervisor, liangze.RoleAdmin)
	}
	var file []liangze.IntegrityEntry
	if err == nil {
		file, err = s.Store.IntegrityFile(c.Request.Context(), person.ID)
	}
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"person": person, "items": file, "total": len(file)})
}
