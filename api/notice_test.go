package api_test

import (
	"context"
	"fmt"
	"net/http"
	"testing"
	"time"

	"liangze"
	"liangze/store"
)

func TestExposureNoticeEndToEnd(t *testing.T) {
	s := newStack(t)
	serious := s.decideCaseOf("donghu", store.DemoID("person", "赵丽"), liangze.FormDisciplinary, liangze.SeveritySerious)
	plain := s.decideCase("donghu", store.DemoID("person", "孙强"), liangze.FormAdmonishment)
	now := time.Now().In(liangze.ChinaTime)
	q := liangze.Quarter{Year: now.Year(), Quarter: (int(now.Month())-1)/3 + 1}
	code, body := s.do("admin", "POST", "/reports/start", fmt.Sprintf(`{"year":%d,"quarter":%d,"unit_id":%q}`, q.Year, q.Quarter, donghu))
	s.want(http.StatusAccepted, "", code, body)
	var id string
	for range 100 {
		if _, list := s.do("donghu-leader", "GET", fmt.Sprintf("/reports?year=%d&quarter=%d", q.Year, q.Quarter), ""); list["total"] == 1.0 {
			id = list["items"].([]any)[0].(map[string]any)["id"].(string)
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if id == "" {
		t.Fatal("no report")
	}
	// both cases are put forward as typical; only the serious one goes into the notice
	s.ok(s.do("donghu-clerk", "POST", "/reports/"+id+"/edit", fmt.Sprintf(`{"form":{"cases":2,"typical_cases":[%q,%q]}}`, serious, plain)))
	s.ok(s.do("donghu-leader", "POST", "/reports/"+id+"/submit", `{}`))
	s.ok(s.do("supervisor", "POST", "/reports/"+id+"/review", `{"accept":true}`))

	from := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, liangze.ChinaTime)
	period := fmt.Sprintf(`{"from":%q,"to":%q}`, from.Format(time.DateOnly), from.AddDate(0, 2, 0).Format(time.DateOnly))
	code, body = s.do("donghu-leader", "POST", "/notices/start", period)
	s.want(http.StatusForbidden, "", code, body)
	code, body = s.do("supervisor", "POST", "/notices/start", period)
	s.want(http.StatusAccepted, "", code, body)
	nid := body["id"].(string)
	if code, _ = s.do("supervisor", "POST", "/notices/start", period); code != http.StatusOK {
		t.Errorf("second start: %d, want 200 (the period's notice exists)", code)
	}
	var notice map[string]any
	for range 100 {
		if code, notice = s.do("supervisor", "GET", "/notices/"+nid, ""); code == http.StatusOK {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	if ids := notice["case_ids"].([]any); notice["state"] != "draft" || len(ids) != 1 || ids[0] != serious.String() {
		t.Fatalf("draft %v, want the serious case only", notice)
	}
	code, body = s.do("donghu-leader", "GET", "/notices/"+nid, "")
	s.want(http.StatusNotFound, "", code, body) // drafts are not shown to units
	code, body = s.do("supervisor", "POST", "/notices/"+nid+"/decision", `{"publish":false}`)
	s.want(http.StatusUnprocessableEntity, "comment", code, body)
	code, body = s.do("supervisor", "POST", "/notices/"+nid+"/decision", `{"publish":true}`)
	s.ok(code, body)
	if body["state"] != "published" {
		t.Fatalf("after decision: %v", body)
	}
	code, body = s.do("supervisor", "POST", "/notices/"+nid+"/decision", `{"publish":true}`)
	s.want(http.StatusConflict, "", code, body)
	if _, list := s.do("donghu-leader", "GET", "/notices", ""); list["total"] != 1.0 {
		t.Errorf("the unit does not see the published notice: %v", list)
	}
	s.recordHistory(context.Background(), notice["workflow_id"].(string), "notice_history.json")
}
