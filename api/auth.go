package api

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"

	"liangze"
)

// Tokens signs and checks bearer tokens (HS256 JWTs naming a user).
type Tokens struct {
	Secret []byte
	Issuer string
}

type claims struct {
	Role liangze.Role `json:"role"`
	jwt.RegisteredClaims
}

// Issue returns a signed token for the user, valid for ttl.
func (t Tokens) Issue(u liangze.User, ttl time.Duration, now time.Time) (string, error) {
	c := claims{Role: u.Role, RegisteredClaims: jwt.RegisteredClaims{
		Subject: u.ID.String(), Issuer: t.Issuer, IssuedAt: jwt.NewNumericDate(now),
		ExpiresAt: jwt.NewNumericDate(now.Add(ttl)),
	}}
	s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, c).SignedString(t.Secret)
	if err != nil {
		return "", fmt.Errorf("sign token for %s: %w", u.Username, err)
	}
	return s, nil
}

// userID checks a bearer token and returns the user it names.
func (t Tokens) userID(header string) (uuid.UUID, error) {
	raw, ok := strings.CutPrefix(header, "Bearer ")
	if !ok || raw == "" {
		return uuid.Nil, liangze.Errorf(liangze.EUNAUTHORIZED, "an Authorization: Bearer <token> header is required")
	}
	var c claims
	_, err := jwt.ParseWithClaims(raw, &c, func(*jwt.Token) (any, error) { return t.Secret, nil },
		jwt.WithValidMethods([]string{"HS256"}), jwt.WithIssuer(t.Issuer), jwt.WithExpirationRequired())
	if err != nil {
		msg := "the token is not valid"
		if errors.Is(err, jwt.ErrTokenExpired) {
			msg = "the token has expired"
		}
		return uuid.Nil, liangze.Errorf(liangze.EUNAUTHORIZED, "%s", msg)
	}
	id, err := uuid.Parse(c.Subject)
	if err != nil {
		return uuid.Nil, liangze.Errorf(liangze.EUNAUTHORIZED, "the token names no user")
	}
	return id, nil
}

const userKey = "liangze.user"

// authenticate loads the caller named by the bearer token; the role and scope come from
// the database, so a changed role takes effect at once.
func (s *Server) authenticate(c *gin.Context) {
	id, err := s.Tokens.userID(c.GetHeader("Authorization"))
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	u, err := s.Store.User(c.Request.Context(), id)
	if liangze.ErrorCode(err) == liangze.ENOTFOUND {
		err = liangze.Errorf(liangze.EUNAUTHORIZED, "the token's user no longer exists")
	}
	if err != nil {
		fail(c, s.Log, err)
		return
	}
	c.Set(userKey, u)
	c.Next()
}

func caller(c *gin.Context) liangze.User { return c.MustGet(userKey).(liangze.User) }

// requireRole refuses callers whose role is not among roles.
func requireRole(u liangze.User, roles ...liangze.Role) error {
	for _, r := range roles {
		if u.Role == r {
			return nil
		}
	}
	names := make([]string, len(roles))
	for i, r := range roles {
		names[i] = string(r)
	}
	return liangze.Errorf(liangze.EFORBIDDEN, "role %s may not do this; it needs %s", u.Role, strings.Join(names, " or "))
}

// requireScope refuses callers whose org subtree does not hold the unit.
func (s *Server) requireScope(c *gin.Context, u liangze.User, unit uuid.UUID) error {
	ok, err := s.Store.InSubtree(c.Request.Context(), u.ScopeUnitID, unit)
	if err != nil {
		return err
	}
	if !ok {
		return liangze.Errorf(liangze.EFORBIDDEN, "unit %s is outside your scope", unit)
	}
	return nil
}
