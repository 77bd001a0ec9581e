package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
	"github.com/jackc/pgx/v5"

	"liangze"
)

// SignerTitle returns the post under which person may sign part of a unit's document on
// the given day: the first responsible person of the unit's primary-responsibility subject,
// the discipline head of its supervisory subject (the fallback subject's, for a unit without
// a body of its own), or for a letter's issuer part the first responsible person of the
// parent's primary subject. Anyone else is refused.
func (s *Store) SignerTitle(ctx context.Context, unitID uuid.UUID, part liangze.SignedPart, person uuid.UUID, on time.Time) (liangze.Label, error) {
	u, err := s.Unit(ctx, unitID)
	if err != nil {
		return liangze.Label{}, err
	}
	if part == liangze.PartIssuer {
		if u.ParentID == nil {
			return liangze.Label{}, liangze.Errorf(liangze.ECONFLICT, "%s has no upper level to issue its letter", u.Name.ZH)
		}
		if u, err = s.Unit(ctx, *u.ParentID); err != nil {
			return liangze.Label{}, err
		}
	}
	primary, supervisory, err := s.Subjects(ctx, u)
	if err != nil {
		return liangze.Label{}, err
	}
	subject, kind := primary, liangze.PositionFirstResponsible
	if part == liangze.PartSupervisory {
		subject, kind = supervisory, liangze.PositionDisciplineHead
	}
	var title liangze.Label
	err = s.pool.QueryRow(ctx, `select title_zh, title_en from positions where unit_id = $1 and person_id = $2 and kind = $3
		and started_on <= $4 and (ended_on is null or ended_on > $4) limit 1`,
		subject.UnitID, person, kind, on.In(liangze.ChinaTime).Format(time.DateOnly)).Scan(&title.ZH, &title.EN)
	if errors.Is(err, pgx.ErrNoRows) {
		who := "第一责任人 / the first responsible person"
		if part == liangze.PartIssuer {
			who = "党委（党组）书记 / the party secretary"
		}
		if part == liangze.PartSupervisory {
			who = "纪检负责人 / the discipline head"
		}
		return title, liangze.Errorf(liangze.EFORBIDDEN, "只有%s的%s可签此部分 / only %s of %s may sign this part",
			subject.UnitName.ZH, who, who, subject.UnitName.EN)
	}
	if err != nil {
		return title, fmt.Errorf("signer of %s: %w", unitID, err)
	}
	return title, nil
}

// SignParams is one signature of a unit's task list.
type SignParams struct {
	Part     liangze.SignedPart
	RecordID uuid.UUID
	PersonID uuid.UUID
	Opinion  string
}

// SignTaskList stores an immutable signed record of exactly the current version of a
// document, with its SHA-256, and moves it on: the first responsible person signs first,
// then the discipline body (or, on a letter, the upper level's secretary).
func (s *Store) SignTaskList(ctx context.Context, c SignoffChange, p SignParams) error {
	so, err := s.signoffRow(ctx, c.SignoffID)
	if err != nil {
		return err
	}
	title, err := s.SignerTitle(ctx, so.UnitID, p.Part, p.PersonID, c.At)
	if err != nil {
		return err
	}
	ev := c.event("sign_task_list", map[string]any{"part": p.Part, "version": so.Version, "record_id": p.RecordID,
		"document": so.Document})
	_, err = s.applyOnce(ctx, ev, func(tx pgx.Tx) error {
		so, err := lockSignoff(ctx, tx, c.SignoffID)
		if err != nil {
			return err
		}
		first, second := so.Document.Parts()
		from, to := first.Awaiting(), second.Awaiting()
		if p.Part == second {
			from, to = second.Awaiting(), liangze.SignoffSigned
		} else if p.Part != first {
			return liangze.FieldError("part", "a %s is signed by %s and %s", so.Document.Label().ZH, first, second)
		}
		if so.State != from {
			return liangze.Errorf(liangze.ECONFLICT, "the %s is %s (%s): the %s part cannot be signed now",
				so.Document.Label().EN, so.State, so.State.Label().ZH, p.Part)
		}
		signed := liangze.SignedContent{UnitID: so.UnitID, Year: so.Year, Version: so.Version, Items: so.Items}
		if so.Document != liangze.DocTaskList {
			signed = liangze.SignedContent{UnitID: so.UnitID, Year: so.Year, Version: so.Version, Document: so.Document, Body: so.Body}
		}
		content, hash, err := signed.Canonical()
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `insert into signed_records (id, signoff_id, unit_id, year, version, part, signer_person_id,
			signer_user_id, signer_title_zh, signer_title_en, opinion, signed_at, content, content_hash, document)
			values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
			p.RecordID, c.SignoffID, so.UnitID, so.Year, so.Version, p.Part, p.PersonID, c.Actor, title.ZH, title.EN,
			p.Opinion, c.At, content, hash, so.Document)
		if err != nil {
			return fmt.Errorf("store signed record: %w", err)
		}
		return setSignoffState(ctx, tx, c, from, to)
	})
	return err
}

func (s *Store) signoffRow(ctx context.Context, id uuid.UUID) (lockedSignoff, error) {
	var so lockedSignoff
	err := so.scan(s.pool.QueryRow(ctx, `select `+lockedColumns+` from annual_signoffs where id = $1`, id))
	if err != nil {
		return so, notFound(err, "sign-off", id)
	}
	return so, nil
}

const signedRecordColumns = `r.id, r.unit_id, u.name_zh, u.name_en, r.year, r.document, r.version, r.part, r.signer_person_id, pe.name,
	r.signer_title_zh, r.signer_title_en, r.opinion, r.signed_at, r.content, r.content_hash`

func scanSignedRecord(row pgx.CollectableRow) (liangze.SignedRecord, error) {
	var r liangze.SignedRecord
	var content string
	err := row.Scan(&r.ID, &r.UnitID, &r.UnitName.ZH, &r.UnitName.EN, &r.Year, &r.Document, &r.Version, &r.Part, &r.SignerID, &r.SignerName,
		&r.SignerTitle.ZH, &r.SignerTitle.EN, &r.Opinion, &r.SignedAt, &content, &r.ContentHash)
	r.Content, r.PartLabel = []byte(content), r.Part.Label()
	return r, err
}

// SignedRecords returns a unit's signed records of a year, oldest first.
func (s *Store) SignedRecords(ctx context.Context, unit uuid.UUID, year int) ([]liangze.SignedRecord, error) {
	rows, err := s.pool.Query(ctx, `select `+signedRecordColumns+` from signed_records r
		join org_units u on u.id = r.unit_id join people pe on pe.id = r.signer_person_id
		where r.unit_id = $1 and r.year = $2 order by r.signed_at, r.document, r.version,
		array_position(array['primary','supervisory','issuer'], r.part)`, unit, year)
	if err != nil {
		return nil, fmt.Errorf("signed records of %s for %d: %w", unit, year, err)
	}
	return pgx.CollectRows(rows, scanSignedRecord)
}
