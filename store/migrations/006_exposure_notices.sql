-- Severity of a case (for the typical cases exposed), and the bimonthly exposure notice
-- (双月通报曝光): serious typical cases of a period, published after a supervisor approves.

alter table cases add column severity text not null default 'general'
    check (severity in ('minor','general','serious'));

create table exposure_notices (
    id            uuid primary key,
    workflow_id   text not null unique,
    root_unit_id  uuid not null references org_units(id),
    period_from   timestamptz not null,
    period_to     timestamptz not null,
    state         text not null default 'draft' check (state in ('draft','published','rejected')),
    case_ids      uuid[] not null default '{}',
    drafted_at    timestamptz not null,
    decided_by    uuid references users(id),
    decided_at    timestamptz,
    comment       text not null default '',
    unique (root_unit_id, period_from)
);

---- create above / drop below ----

drop table exposure_notices;
alter table cases drop column severity;
