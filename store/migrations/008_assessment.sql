-- Year-end assessment (责任考核): indicators per year, rounds per parent unit, scores,
-- ranked results, and the integrity file (廉政档案) the results are archived in.

create table assessment_indicators (
    year      int  not null check (year between 2000 and 2100),
    code      text not null,
    name_zh   text not null,
    name_en   text not null default '',
    weight    numeric(8,2) not null check (weight > 0),
    position  int  not null,
    primary key (year, code)
);

create table assessments (
    id              uuid primary key,
    workflow_id     text not null unique,
    parent_unit_id  uuid not null references org_units(id),
    year            int  not null check (year between 2000 and 2100),
    bottom_n        int  not null check (bottom_n >= 0),
    state           text not null default 'scoring' check (state in ('scoring','closed')),
    opened_by       uuid references users(id),
    opened_at       timestamptz not null,
    closed_by       uuid references users(id),
    closed_at       timestamptz,
    unique (parent_unit_id, year)
);

create table assessment_scores (
    assessment_id  uuid not null references assessments(id),
    unit_id        uuid not null references org_units(id),
    indicator      text not null,
    score          numeric(5,2) not null check (score between 0 and 100),
    assessor_id    uuid not null references users(id),
    scored_at      timestamptz not null,
    primary key (assessment_id, unit_id, indicator)
);

create table assessment_results (
    assessment_id   uuid not null references assessments(id),
    unit_id         uuid not null references org_units(id),
    total           numeric(6,2) not null,
    rank            int  not null,
    bottom          boolean not null,
    award_eligible  boolean not null,
    escalation_id   uuid references escalations(id),
    primary key (assessment_id, unit_id)
);

-- The integrity file keeps what was recorded about a person; entries are never changed.
create table integrity_file (
    id           bigserial primary key,
    person_id    uuid not null references people(id),
    year         int  not null,
    unit_id      uuid not null references org_units(id),
    kind         text not null,
    title_zh     text not null,
    title_en     text not null,
    detail       jsonb not null default '{}',
    source_key   text not null unique,
    recorded_at  timestamptz not null
);
create index integrity_file_person on integrity_file(person_id, year);

create function integrity_file_refuse_change() returns trigger language plpgsql as $$
begin
    raise exception 'integrity_file is append-only: % refused', tg_op using errcode = 'insufficient_privilege';
end $$;
create trigger integrity_file_append_only before update or delete on integrity_file
    for each row execute function integrity_file_refuse_change();
create trigger integrity_file_no_truncate before truncate on integrity_file
    for each statement execute function integrity_file_refuse_change();

---- create above / drop below ----

drop table integrity_file;
drop function integrity_file_refuse_change();
drop table assessment_results;
drop table assessment_scores;
drop table assessments;
drop table assessment_indicators;
