package store_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"liangze"
	"liangze/store"
)

// signoffFixture opens a unit's 2027 list and returns a change builder for it.
func signoffFixture(t *testing.T, s *store.Store, unit string) (uuid.UUID, func(key, user string) store.SignoffChange) {
	return documentFixture(t, s, unit, liangze.DocTaskList)
}

// documentFixture opens a unit's 2027 document and returns a change builder for it.
func documentFixture(t *testing.T, s *store.Store, unit string, doc liangze.Document) (uuid.UUID, func(key, user string) store.SignoffChange) {
	t.Helper()
	id := uuid.New()
	at := time.Date(2027, 1, 10, 10, 0, 0, 0, liangze.ChinaTime)
	ch := func(key, user string) store.SignoffChange {
		actor := store.DemoID("user", user)
		return store.SignoffChange{Key: id.String() + "/" + key, SignoffID: id, Actor: &actor, At: at}
	}
	must(t, s.CreateSignoff(context.Background(), ch("open", "admin"), "signoff/"+id.String(), store.DemoID("unit", unit), 2027,
		doc, liangze.Deadline{At: time.Date(2027, 2, 1, 0, 0, 0, 0, liangze.ChinaTime)}))
	return id, ch
}

func item(person string, kind liangze.LeadershipKind) liangze.TaskItem {
	return liangze.TaskItem{Content: "落实" + person + "分管领域党风廉政建设", LeadLeaderID: store.DemoID("person", person), Kind: kind,
		LeadDepartments: []string{"党政办"}, Deadline: "2027-12-31", Standard: "每半年检查1次"}
}

func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	if liangze.ErrorCode(err) != code {
		t.Errorf("%s: %v, want %s", what, err, code)
	}
}

func TestTaskListSignedImmutablyWithItsHash(t *testing.T) {
	s := seeded(t)
	ctx := context.Background()
	id, ch := signoffFixture(t, s, "donghu")
	// Donghu's leaders in 2027: 陈志强 (secretary), 赵丽 (town head), 孙强 (discipline)
	must(t, s.SaveTaskList(ctx, ch("save1", "donghu-clerk"), []liangze.TaskItem{item("陈志强", liangze.LeadershipPrincipal)}))
	err := s.SubmitTaskList(ctx, ch("submit1", "donghu-clerk"))
	wantCode(t, "submit with leaders missing", err, liangze.EINVALID)
	if err == nil || !strings.Contains(err.Error(), "赵丽") || !strings.Contains(err.Error(), "孙强") {
		t.Errorf("refusal should name the leaders without an item: %v", err)
	}
	items := []liangze.TaskItem{item("陈志强", liangze.LeadershipPrincipal), item("赵丽", liangze.LeadershipImportant),
		item("孙强", liangze.LeadershipImportant)}
	must(t, s.SaveTaskList(ctx, ch("save2", "donghu-clerk"), items))
	must(t, s.SubmitTaskList(ctx, ch("submit2", "donghu-clerk")))
	wantCode(t, "edit after submitting", s.SaveTaskList(ctx, ch("save3", "donghu-clerk"), items[:1]), liangze.ECONFLICT)

	head, disc := store.DemoID("person", "陈志强"), store.DemoID("person", "孙强")
	sign := func(key string, part liangze.SignedPart, person uuid.UUID) error {
		return s.SignTaskList(ctx, ch(key, "donghu-leader"), store.SignParams{Part: part, RecordID: uuid.NewSHA1(id, []byte(key)),
			PersonID: person, Opinion: "同意"})
	}
	wantCode(t, "the discipline head signing the primary part", sign("s1", liangze.PartPrimary, disc), liangze.EFORBIDDEN)
	wantCode(t, "supervisory before primary", sign("s2", liangze.PartSupervisory, disc), liangze.ECONFLICT)
	wantCode(t, "the former secretary", sign("s3", liangze.PartPrimary, store.DemoID("person", "刘海")), liangze.EFORBIDDEN)
	must(t, sign("s4", liangze.PartPrimary, head))
	must(t, sign("s4", liangze.PartPrimary, head)) // a retry stores nothing twice
	must(t, sign("s5", liangze.PartSupervisory, disc))

	so, err := s.Signoff(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if so.State != liangze.SignoffSigned || len(so.Records) != 2 || len(so.Missing) != 0 {
		t.Fatalf("after signing: state %s, %d records, missing %v", so.State, len(so.Records), so.Missing)
	}
	r := so.Records[0]
	sum := sha256.Sum256(r.Content)
	if r.Part != liangze.PartPrimary || r.SignerName != "陈志强" || r.SignerTitle.ZH != "东湖镇党委书记" || hex.EncodeToString(sum[:]) != r.ContentHash {
		t.Errorf("primary record %+v", r)
	}
	if !strings.Contains(string(r.Content), "赵丽") && !strings.Contains(string(r.Content), store.DemoID("person", "赵丽").String()) {
		t.Errorf("signed content does not hold the list: %s", r.Content)
	}

	// the database itself refuses to change or remove a signature, or to store a wrong hash
	for _, sql := range []string{
		`update signed_records set opinion = '不同意'`,
		`update signed_records set content = replace(content, '每半年', '每年')`,
		`delete from signed_records`,
		`truncate signed_records cascade`,
	} {
		if err := s.ExecForTest(ctx, sql); err == nil || !strings.Contains(err.Error(), "immutable") {
			t.Errorf("%s: %v, want refused", sql, err)
		}
	}
	err = s.ExecForTest(ctx, `insert into signed_records select gen_random_uuid(), signoff_id, unit_id, year, version + 1, part,
		signer_person_id, signer_user_id, signer_title_zh, signer_title_en, opinion, signed_at, content || ' ', content_hash
		from signed_records limit 1`)
	if err == nil || !strings.Contains(err.Error(), "content_hash") {
		t.Errorf("a record whose hash does not match its content: %v, want refused", err)
	}

	// a revision is a new version; the old signatures stay
	wantCode(t, "save a signed list", s.SaveTaskList(ctx, ch("save4", "donghu-clerk"), items), liangze.ECONFLICT)
	must(t, s.ReviseTaskList(ctx, ch("revise", "donghu-leader"), "分工调整"))
	must(t, s.SaveTaskList(ctx, ch("save5", "donghu-clerk"), items[:2]))
	wantCode(t, "v2 with the discipline head left out", s.SubmitTaskList(ctx, ch("submit3", "donghu-clerk")), liangze.EINVALID)
	so, _ = s.Signoff(ctx, id)
	if so.Version != 2 || so.State != liangze.SignoffDrafting || len(so.Records) != 2 || so.Records[1].Version != 1 {
		t.Errorf("after revising: version %d, state %s, %d records", so.Version, so.State, len(so.Records))
	}

	// the one-case-two-investigations evidence now cites the signed records
	ev, err := s.LevelEvidence(ctx, store.DemoID("unit", "donghu"), time.Date(2027, 6, 1, 0, 0, 0, 0, liangze.ChinaTime))
	if err != nil {
		t.Fatal(err)
	}
	if len(ev.SignedRecords) != 2 || ev.SignedRecords[0].ContentHash != r.ContentHash || len(ev.Notes) != 0 {
		t.Errorf("evidence %+v", ev)
	}
}

func TestFallbackSubjectsSignForAUnitWithoutBodies(t *testing.T) {
	s := seeded(t)
	ctx := context.Background()
	archives := store.DemoID("unit", "archives")
	on := time.Date(2027, 1, 10, 0, 0, 0, 0, liangze.ChinaTime)
	if title, err := s.SignerTitle(ctx, archives, liangze.PartSupervisory, store.DemoID("person", "郑文"), on); err != nil || title.ZH != "县直机关纪工委书记" {
		t.Errorf("纪工委 secretary signing for archives: %v %v", title, err)
	}
	if _, err := s.SignerTitle(ctx, archives, liangze.PartPrimary, store.DemoID("person", "周立新"), on); err != nil {
		t.Errorf("organs committee secretary signing for archives: %v", err)
	}
	_, err := s.SignerTitle(ctx, archives, liangze.PartPrimary, store.DemoID("person", "林涛"), on)
	wantCode(t, "archives director (unit without a party body)", err, liangze.EFORBIDDEN)
}

func TestLetterSignedWithTheUpperLevel(t *testing.T) {
	s := seeded(t)
	ctx := context.Background()
	id, ch := documentFixture(t, s, "donghu", liangze.DocLetter)
	wantCode(t, "items on a letter", s.SaveTaskList(ctx, ch("items", "donghu-clerk"), []liangze.TaskItem{item("陈志强", liangze.LeadershipPrincipal)}), liangze.ECONFLICT)
	wantCode(t, "submit without text", s.SubmitTaskList(ctx, ch("submit0", "donghu-clerk")), liangze.EINVALID)
	must(t, s.SaveBody(ctx, ch("body", "donghu-clerk"), "一、责任目标：全面落实主体责任。二、责任内容：……"))
	must(t, s.SubmitTaskList(ctx, ch("submit", "donghu-clerk")))
	sign := func(key string, part liangze.SignedPart, person string) error {
		return s.SignTaskList(ctx, ch(key, "donghu-leader"), store.SignParams{Part: part, RecordID: uuid.NewSHA1(id, []byte(key)),
			PersonID: store.DemoID("person", person), Opinion: "同意签订"})
	}
	wantCode(t, "the discipline body signing a letter", sign("s1", liangze.PartSupervisory, "孙强"), liangze.EINVALID)
	wantCode(t, "issuer before the head", sign("s2", liangze.PartIssuer, "王建国"), liangze.ECONFLICT)
	must(t, sign("s3", liangze.PartPrimary, "陈志强"))
	wantCode(t, "the town's secretary as issuer", sign("s4", liangze.PartIssuer, "陈志强"), liangze.EFORBIDDEN)
	must(t, sign("s5", liangze.PartIssuer, "王建国"))
	so, err := s.Signoff(ctx, id)
	if err != nil || so.State != liangze.SignoffSigned || len(so.Records) != 2 || so.Records[1].Part != liangze.PartIssuer ||
		so.Records[1].SignerTitle.ZH != "县委书记" || !strings.Contains(string(so.Records[0].Content), "全面落实主体责任") {
		t.Fatalf("signed letter %+v %v", so, err)
	}
	if _, err := s.SignerTitle(ctx, store.DemoID("unit", "county"), liangze.PartIssuer, store.DemoID("person", "王建国"), time.Now()); liangze.ErrorCode(err) != liangze.ECONFLICT {
		t.Errorf("a letter for the top of the tree: %v", err)
	}
}
