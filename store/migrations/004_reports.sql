-- Quarterly accountability reports (责任追究季度报告), one per unit per quarter.

create table quarterly_reports (
    id              uuid primary key,
    workflow_id     text not null unique,
    unit_id         uuid not null references org_units(id),
    year            int  not null check (year between 2000 and 2100),
    quarter         int  not null check (quarter between 1 and 4),
    state           text not null default 'drafting' check (state in ('drafting','submitted','returned','accepted')),
    prefill         jsonb not null,
    form            jsonb not null,
    notes           text not null default '',
    due_at          timestamptz,
    due_rule_zh     text not null default '',
    due_rule_en     text not null default '',
    overdue         boolean not null default false,
    escalation_id   uuid references escalations(id),
    submitted_by    uuid references users(id),
    submitted_at    timestamptz,
    reviewed_by     uuid references users(id),
    reviewed_at     timestamptz,
    review_comment  text not null default '',
    created_at      timestamptz not null,
    unique (unit_id, year, quarter)
);
create index quarterly_reports_period on quarterly_reports(year, quarter, state);

---- create above / drop below ----

drop table quarterly_reports;
