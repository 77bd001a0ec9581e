package api_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"liangze/store"
)

func TestYearEndAssessmentEndToEnd(t *testing.T) {
	s := newStack(t)
	code, body := s.do("donghu-leader", "POST", "/assessments", `{"year":2027}`)
	s.want(http.StatusForbidden, "", code, body)
	code, body = s.do("supervisor", "POST", "/assessments", `{"year":2027,"bottom_n":-1}`)
	s.want(http.StatusUnprocessableEntity, "bottom_n", code, body)
	code, as := s.do("supervisor", "POST", "/assessments", `{"year":2027,"bottom_n":1}`)
	s.want(http.StatusCreated, "", code, as)
	id := as["id"].(string)
	if len(as["indicators"].([]any)) != 5 || len(as["units"].([]any)) != 6 {
		t.Fatalf("opened round: %v", as)
	}
	code, body = s.do("supervisor", "POST", "/assessments", `{"year":2027}`)
	s.want(http.StatusConflict, "", code, body)
	code, body = s.do("admin", "PUT", "/assessments/indicators?year=2027", `{"indicators":[{"code":"a","name":{"zh":"甲"},"weight":0}]}`)
	s.want(http.StatusUnprocessableEntity, "indicators[0].weight", code, body)

	path := "/assessments/" + id
	score := func(user, unit string, v float64) (int, map[string]any) {
		return s.do(user, "POST", path+"/scores", fmt.Sprintf(`{"unit_id":%q,"scores":{"mechanism":%v,"tasks":%v,"integration":%v,
			"groundwork":%v,"self_discipline":%v}}`, store.DemoID("unit", unit), v, v, v, v, v))
	}
	code, body = score("supervisor", "county", 90)
	s.want(http.StatusUnprocessableEntity, "unit_id", code, body)
	code, body = s.do("supervisor", "POST", path+"/scores", fmt.Sprintf(`{"unit_id":%q,"scores":{"speed":50}}`, store.DemoID("unit", "donghu")))
	s.want(http.StatusUnprocessableEntity, "scores.speed", code, body)
	code, body = score("donghu-clerk", "donghu", 90)
	s.want(http.StatusForbidden, "", code, body)
	for unit, v := range map[string]float64{"donghu": 92, "nanling": 85, "xiping": 85, "organs": 88, "education": 80} {
		s.ok(score("inspector", unit, v))
	}
	code, body = s.do("supervisor", "POST", path+"/close", `{}`)
	s.want(http.StatusConflict, "", code, body)
	if !strings.Contains(body["detail"].(string), "县档案馆") {
		t.Errorf("close refusal should name the unscored unit: %v", body)
	}
	s.ok(score("inspector", "archives", 60))
	code, as = s.do("supervisor", "POST", path+"/close", `{}`)
	s.ok(code, as)
	if as["state"] != "closed" {
		t.Fatalf("after close: %v", as["state"])
	}
	code, body = score("inspector", "archives", 99)
	s.want(http.StatusConflict, "", code, body)

	// the bottom unit's head gets one interview escalation, proposed by the closer
	var esc string
	for range 100 {
		_, got := s.do("supervisor", "GET", path, "")
		for _, u := range got["assessment"].(map[string]any)["units"].([]any) {
			unit := u.(map[string]any)
			if unit["bottom"] == true && unit["escalation_id"] != nil {
				esc = unit["escalation_id"].(string)
				if unit["unit_id"] != store.DemoID("unit", "archives").String() || unit["rank"] != 6.0 || unit["award_eligible"] != false {
					t.Errorf("bottom unit %v", unit)
				}
			}
		}
		if esc != "" {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if esc == "" {
		t.Fatal("no interview escalation linked to the bottom unit")
	}
	e := s.awaitStep(esc, 1, "awaiting_approval")
	if e["level"] != "interview" || e["person_id"] != store.DemoID("person", "林涛").String() {
		t.Errorf("interview escalation %v", e)
	}
	code, body = s.do("supervisor", "POST", "/escalations/"+esc+"/steps/1/decision", `{"approve":true}`)
	s.want(http.StatusForbidden, "", code, body) // the closer proposed it: four-eyes
	s.ok(s.do("supervisor2", "POST", "/escalations/"+esc+"/steps/1/decision", `{"approve":true}`))

	code, file := s.do("supervisor", "GET", "/people/"+store.DemoID("person", "林涛").String()+"/integrity-file", "")
	s.ok(code, file)
	if file["total"] != 1.0 || !strings.Contains(file["items"].([]any)[0].(map[string]any)["title"].(map[string]any)["zh"].(string), "第6名") {
		t.Errorf("integrity file %v", file)
	}
	code, body = s.do("donghu-clerk", "GET", "/people/"+chen.String()+"/integrity-file", "")
	s.want(http.StatusForbidden, "", code, body)
	_, list := s.do("supervisor", "GET", "/assessments?year=2027", "")
	if list["total"] != 1.0 {
		t.Errorf("list %v", list)
	}
	s.recordHistory(context.Background(), as["workflow_id"].(string), "assessment_history.json")
}
