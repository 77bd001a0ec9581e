-- Annual sign-off (年度签字背书), first phase: each unit's responsibility task list
-- (责任分解任务清单) and the immutable signed records of it.

create table annual_signoffs (
    id              uuid primary key,
    workflow_id     text not null unique,
    unit_id         uuid not null references org_units(id),
    year            int  not null check (year between 2000 and 2100),
    state           text not null default 'drafting'
                    check (state in ('drafting','awaiting_head','awaiting_discipline','signed')),
    version         int  not null default 1 check (version >= 1),
    items           jsonb not null default '[]',
    due_at          timestamptz,
    due_rule_zh     text not null default '',
    due_rule_en     text not null default '',
    overdue         boolean not null default false,
    escalation_id   uuid references escalations(id),
    created_at      timestamptz not null,
    updated_at      timestamptz not null,
    unique (unit_id, year)
);
create index annual_signoffs_year on annual_signoffs(year, state);

-- A signature covers exactly the content stored beside it; the database checks the hash and
-- refuses any change or deletion. A changed list is a new version, signed again.
create table signed_records (
    id                uuid primary key,
    signoff_id        uuid not null references annual_signoffs(id),
    unit_id           uuid not null references org_units(id),
    year              int  not null,
    version           int  not null,
    part              text not null check (part in ('primary','supervisory')),
    signer_person_id  uuid not null references people(id),
    signer_user_id    uuid not null references users(id),
    signer_title_zh   text not null,
    signer_title_en   text not null,
    opinion           text not null check (length(trim(opinion)) > 0),
    signed_at         timestamptz not null,
    content           text not null,
    content_hash      text not null constraint signed_records_content_hash check (content_hash = encode(sha256(convert_to(content, 'UTF8')), 'hex')),
    unique (signoff_id, version, part)
);
create index signed_records_unit_year on signed_records(unit_id, year);

create function signed_records_refuse_change() returns trigger language plpgsql as $$
begin
    raise exception 'signed_records are immutable: % refused', tg_op using errcode = 'insufficient_privilege';
end $$;
create trigger signed_records_immutable before update or delete on signed_records
    for each row execute function signed_records_refuse_change();
create trigger signed_records_no_truncate before truncate on signed_records
    for each statement execute function signed_records_refuse_change();

---- create above / drop below ----

drop table signed_records;
drop function signed_records_refuse_change();
drop table annual_signoffs;
