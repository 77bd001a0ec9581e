-- One case, two investigations (一案双查): the case with its filing decision and violation
-- investigation, the responsibility investigation level by level up the org tree, findings per
-- person, and the decision with its accountability forms.

create table cases (
    id                     uuid primary key,
    workflow_id            text not null unique,
    unit_id                uuid not null references org_units(id),
    person_id              uuid not null references people(id),
    clue_source            text not null,
    summary                text not null,
    category               text not null,
    evidence               text[] not null default '{}',
    violation_date         date not null,
    escalation_id          uuid references escalations(id),
    stage                  text not null default 'verification'
                           check (stage in ('verification','investigation','decision','closed')),
    outcome                text check (outcome in ('not_filed','decided')),
    opened_by              uuid not null references users(id),
    opened_at              timestamptz not null,
    filing_decided_by      uuid references users(id),
    filing_decided_at      timestamptz,
    filing_comment         text not null default '',
    violation_finding      text not null default '',
    violation_established  boolean,
    violation_recorded_by  uuid references users(id),
    stage_due_at           timestamptz,
    stage_due_rule_zh      text not null default '',
    stage_due_rule_en      text not null default '',
    stage_overdue          boolean not null default false,
    closed_at              timestamptz,
    check (filing_decided_by is null or filing_decided_by <> opened_by)
);
create index cases_unit on cases(unit_id);
create index cases_opened on cases(opened_at desc, id);
create unique index cases_escalation on cases(escalation_id) where escalation_id is not null;

-- One row per level of the responsibility investigation (责任倒查), lowest first.
create table case_levels (
    case_id               uuid not null references cases(id),
    level                 int  not null check (level > 0),
    unit_id               uuid not null references org_units(id),
    workflow_id           text not null unique,
    state                 text not null default 'investigating'
                          check (state in ('investigating','at_fault','cleared')),
    evidence              jsonb not null default '{}',
    primary_at_fault      boolean,
    supervisory_at_fault  boolean,
    summary               text not null default '',
    recorded_by           uuid references users(id),
    recorded_at           timestamptz,
    opened_at             timestamptz not null,
    primary key (case_id, level)
);

-- Findings per person at a level (or level 0: the violation itself).
create table case_findings (
    case_id      uuid not null references cases(id),
    level        int  not null,
    person_id    uuid not null references people(id),
    collective   boolean not null,
    direct       boolean not null,
    former       boolean not null,
    description  text not null default '',
    primary key (case_id, level, person_id)
);

-- The decision: one or more accountability forms per person, each with its basis.
create table case_decisions (
    case_id      uuid not null references cases(id),
    person_id    uuid not null references people(id),
    form         text not null check (form in ('organisational','disciplinary','admonishment',
                                                'circulated_criticism','written_self_criticism','veto','economic')),
    basis        text not null,
    person_level text not null default '',
    proposed_by  uuid not null references users(id),
    approved_by  uuid not null references users(id),
    approved_at  timestamptz not null,
    primary key (case_id, person_id, form),
    check (approved_by <> proposed_by)
);

alter table accountability_handovers add foreign key (case_id) references cases(id);

---- create above / drop below ----

alter table accountability_handovers drop constraint accountability_handovers_case_id_fkey;
drop table case_decisions;
drop table case_findings;
drop table case_levels;
drop table cases;
