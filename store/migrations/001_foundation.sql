-- Foundation schema: org tree, people and positions, users, escalations, problems,
-- reminders and the append-only audit log.

create table org_units (
    id                       uuid primary key,
    code                     text not null unique,
    name_zh                  text not null,
    name_en                  text not null default '',
    kind                     text not null check (kind in ('county','town','department','subordinate','organs_work_committee')),
    parent_id                uuid references org_units(id),
    -- materialized path of ids, '/root/…/self/', for subtree checks
    path                     text not null unique,
    depth                    int  not null,
    party_body               text not null default '',
    discipline_body          text not null default '',
    primary_fallback_id      uuid references org_units(id),
    supervisory_fallback_id  uuid references org_units(id),
    check (party_body <> '' or primary_fallback_id is not null or parent_id is null),
    check (discipline_body <> '' or supervisory_fallback_id is not null or parent_id is null)
);
create index org_units_parent on org_units(parent_id);
create index org_units_path on org_units(path text_pattern_ops);

create table people (
    id   uuid primary key,
    name text not null
);

create table positions (
    id          uuid primary key,
    person_id   uuid not null references people(id),
    unit_id     uuid not null references org_units(id),
    title_zh    text not null,
    title_en    text not null default '',
    kind        text not null check (kind in ('first_responsible','leadership_member','discipline_head','staff')),
    portfolio   text not null default '',
    started_on  date not null,
    ended_on    date,
    check (ended_on is null or ended_on > started_on)
);
create index positions_unit on positions(unit_id);
create index positions_person on positions(person_id);

create table users (
    id            uuid primary key,
    username      text not null unique,
    display_name  text not null,
    role          text not null check (role in ('inspector','supervisor','unit_leader','clerk','admin')),
    scope_unit_id uuid not null references org_units(id),
    person_id     uuid references people(id)
);

create table escalations (
    id            uuid primary key,
    workflow_id   text not null unique,
    unit_id       uuid not null references org_units(id),
    person_id     uuid references people(id),
    trigger       text not null,
    problem       text not null,
    severity      text not null check (severity in ('minor','general','serious')),
    level         text not null,
    current_step  int  not null default 0,
    state         text not null default 'open' check (state in ('open','rectified','rejected','handed_over')),
    opened_by     uuid references users(id),
    opened_at     timestamptz not null,
    closed_at     timestamptz
);
create index escalations_unit on escalations(unit_id);
create index escalations_state on escalations(state, level);
create index escalations_opened on escalations(opened_at desc, id);

create table escalation_steps (
    escalation_id         uuid not null references escalations(id),
    step_no               int  not null check (step_no > 0),
    level                 text not null,
    state                 text not null,
    reason                text not null default '',
    proposed_by           uuid references users(id),
    proposed_at           timestamptz not null,
    decided_by            uuid references users(id),
    decided_at            timestamptz,
    decision_comment      text not null default '',
    talk                  jsonb,
    requirements          text not null default '',
    due_at                timestamptz,
    rectification_report  text not null default '',
    submitted_by          uuid references users(id),
    submitted_at          timestamptz,
    verified_by           uuid references users(id),
    verified_at           timestamptz,
    verification_comment  text not null default '',
    primary key (escalation_id, step_no),
    check (decided_by is null or proposed_by is null or decided_by <> proposed_by)
);

-- Problems found, on the problem list (问题清单) or the supervision list (督办清单);
-- closed (销号) when rectification is verified.
create table problems (
    id             uuid primary key,
    escalation_id  uuid references escalations(id),
    unit_id        uuid not null references org_units(id),
    list           text not null default 'problem' check (list in ('problem','supervision')),
    severity       text not null check (severity in ('minor','general','serious')),
    description    text not null,
    status         text not null default 'open' check (status in ('open','closed')),
    created_at     timestamptz not null,
    closed_at      timestamptz
);
create unique index problems_escalation on problems(escalation_id) where escalation_id is not null;

-- Accountability handovers from the top of the ladder, picked up by the
-- one-case-two-investigations process.
create table accountability_handovers (
    escalation_id  uuid primary key references escalations(id),
    unit_id        uuid not null references org_units(id),
    person_id      uuid references people(id),
    summary        text not null,
    created_at     timestamptz not null,
    case_id        uuid
);

-- The in-app inbox. dedupe_key makes a reminder for one due date stored once per recipient,
-- however often the activity that writes it is retried.
create table reminders (
    id             bigserial primary key,
    dedupe_key     text not null,
    user_id        uuid not null references users(id),
    kind           text not null,
    title_zh       text not null,
    title_en       text not null,
    body           text not null default '',
    escalation_id  uuid references escalations(id),
    step_no        int,
    due_at         timestamptz,
    created_at     timestamptz not null default now(),
    read_at        timestamptz,
    unique (dedupe_key, user_id)
);
create index reminders_inbox on reminders(user_id, created_at desc, id desc);

-- Append-only audit log. event_key makes each state change recorded once: activities key
-- it by workflow id and step, and a retried activity finds its key taken.
create table audit_log (
    id         bigserial primary key,
    at         timestamptz not null default now(),
    actor_id   uuid,
    entity     text not null,
    entity_id  text not null,
    action     text not null,
    event_key  text unique,
    detail     jsonb not null default '{}'
);
create index audit_entity on audit_log(entity, entity_id, id);

create function audit_log_refuse_change() returns trigger language plpgsql as $$
begin
    raise exception 'audit_log is append-only: % refused', tg_op using errcode = 'insufficient_privilege';
end $$;
create trigger audit_log_append_only before update or delete on audit_log
    for each row execute function audit_log_refuse_change();
create trigger audit_log_no_truncate before truncate on audit_log
    for each statement execute function audit_log_refuse_change();

---- create above / drop below ----

drop table audit_log;
drop function audit_log_refuse_change();
drop table reminders;
drop table accountability_handovers;
drop table problems;
drop table escalation_steps;
drop table escalations;
drop table users;
drop table positions;
drop table people;
drop table org_units;
