package api_test

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/google/uuid"

	"liangze/store"
)

// Bad input gets a 4xx problem naming the field, never a 5xx, and changes nothing.
func TestBadInputIsRefusedClearly(t *testing.T) {
	s := newStack(t)
	e := s.open("inspector", "reminder_talk")
	id := e["id"].(string)
	nanling := store.DemoID("unit", "nanling")
	cases := []struct {
		name, user, method, path, body string
		status                         int
		field                          string
	}{
		{"no token", "", "GET", "/escalations", "", http.StatusUnauthorized, ""},
		{"malformed JSON", "inspector", "POST", "/escalations", `{"unit_id":`, http.StatusBadRequest, ""},
		{"empty body", "inspector", "POST", "/escalations", ``, http.StatusBadRequest, ""},
		{"wrong JSON type", "inspector", "POST", "/escalations", `{"unit_id":42}`, http.StatusBadRequest, "unit_id"},
		{"missing unit", "inspector", "POST", "/escalations", `{"level":"interview","problem":"x"}`, http.StatusUnprocessableEntity, "unit_id"},
		{"bad unit id", "inspector", "POST", "/escalations", `{"unit_id":"abc","level":"interview","problem":"x"}`, http.StatusUnprocessableEntity, "unit_id"},
		{"unknown unit", "inspector", "POST", "/escalations", fmt.Sprintf(`{"unit_id":%q,"level":"interview","problem":"x"}`, uuid.New()), http.StatusUnprocessableEntity, "unit_id"},
		{"unknown level", "inspector", "POST", "/escalations", fmt.Sprintf(`{"unit_id":%q,"level":"shout","problem":"x"}`, donghu), http.StatusUnprocessableEntity, "level"},
		{"bad severity", "inspector", "POST", "/escalations", fmt.Sprintf(`{"unit_id":%q,"level":"interview","severity":"huge","problem":"x"}`, donghu), http.StatusUnprocessableEntity, "severity"},
		{"no problem", "inspector", "POST", "/escalations", fmt.Sprintf(`{"unit_id":%q,"level":"interview"}`, donghu), http.StatusUnprocessableEntity, "problem"},
		{"person not in unit", "inspector", "POST", "/escalations", fmt.Sprintf(`{"unit_id":%q,"person_id":%q,"level":"interview","problem":"x"}`, nanling, chen), http.StatusUnprocessableEntity, "person_id"},
		{"unit leader may not propose", "donghu-leader", "POST", "/escalations", fmt.Sprintf(`{"unit_id":%q,"level":"interview","problem":"x"}`, donghu), http.StatusForbidden, ""},
		{"unknown escalation", "inspector", "GET", "/escalations/" + uuid.NewString(), "", http.StatusNotFound, ""},
		{"bad escalation id", "inspector", "GET", "/escalations/xyz", "", http.StatusUnprocessableEntity, "id"},
		{"bad step", "supervisor", "POST", "/escalations/" + id + "/steps/zero/decision", `{"approve":true}`, http.StatusUnprocessableEntity, "step"},
		{"decision without approve", "supervisor", "POST", "/escalations/" + id + "/steps/1/decision", `{}`, http.StatusUnprocessableEntity, "approve"},
		{"rejection without reason", "supervisor", "POST", "/escalations/" + id + "/steps/1/decision", `{"approve":false}`, http.StatusUnprocessableEntity, "comment"},
		{"decision on a future step", "supervisor", "POST", "/escalations/" + id + "/steps/2/decision", `{"approve":true}`, http.StatusConflict, ""},
		{"talk before approval", "inspector", "POST", "/escalations/" + id + "/steps/1/talk", `{"conducted_by":"a","content":"b","requirements":"c"}`, http.StatusConflict, ""},
		{"talk without content", "inspector", "POST", "/escalations/" + id + "/steps/1/talk", `{"conducted_by":"a"}`, http.StatusUnprocessableEntity, "content"},
		{"rectification by an inspector", "inspector", "POST", "/escalations/" + id + "/steps/1/rectification", `{"report":"x"}`, http.StatusForbidden, ""},
		{"bad page size", "inspector", "GET", "/escalations?page_size=1000", "", http.StatusUnprocessableEntity, "page_size"},
		{"bad state filter", "inspector", "GET", "/escalations?state=lost", "", http.StatusUnprocessableEntity, "state"},
		{"unknown route", "inspector", "GET", "/nothing", "", http.StatusNotFound, ""},
		{"reminder of another user", "inspector", "POST", "/reminders/1/read", "", http.StatusNotFound, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			code, body := s.do(c.user, c.method, c.path, c.body)
			if code != c.status {
				t.Fatalf("status %d, want %d: %v", code, c.status, body)
			}
			if body["detail"] == "" || body["title"] == "" {
				t.Errorf("problem without title or detail: %v", body)
			}
			if c.field != "" && body["field"] != c.field {
				t.Errorf("field %v, want %s: %v", body["field"], c.field, body)
			}
		})
	}
	// nothing was stored or changed by all that
	code, body := s.do("inspector", "GET", "/escalations", "")
	s.ok(code, body)
	if body["total"].(float64) != 1 {
		t.Errorf("escalations stored: %v, want only the one opened", body["total"])
	}
	_, body = s.do("inspector", "GET", "/escalations/"+id, "")
	if st := steps(body["escalation"].(map[string]any)); len(st) != 1 || st[0]["state"] != "awaiting_approval" {
		t.Errorf("escalation changed by refused requests: %v", st)
	}
}

// A unit leader sees only their own unit; a retried open with the same id starts nothing new.
func TestScopeAndIdempotentOpen(t *testing.T) {
	s := newStack(t)
	fixed := uuid.NewString()
	body := fmt.Sprintf(`{"id":%q,"unit_id":%q,"level":"interview","problem":"南岭镇问题"}`, fixed, store.DemoID("unit", "nanling"))
	code, first := s.do("inspector", "POST", "/escalations", body)
	s.want(http.StatusCreated, "", code, first)
	code, again := s.do("inspector", "POST", "/escalations", body)
	s.want(http.StatusOK, "", code, again)
	if again["id"] != fixed {
		t.Errorf("retried open returned %v", again["id"])
	}
	_, list := s.do("inspector", "GET", "/escalations", "")
	if list["total"].(float64) != 1 {
		t.Errorf("retried open stored %v escalations", list["total"])
	}
	code, p := s.do("donghu-leader", "GET", "/escalations/"+fixed, "")
	s.want(http.StatusForbidden, "", code, p)
	_, list = s.do("donghu-leader", "GET", "/escalations", "")
	if list["total"].(float64) != 0 {
		t.Errorf("donghu's leader sees %v of nanling's escalations", list["total"])
	}
	code, p = s.do("donghu-leader", "GET", "/units/"+store.DemoID("unit", "nanling").String(), "")
	s.want(http.StatusForbidden, "", code, p)
}
