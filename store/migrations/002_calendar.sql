-- The official holiday calendar (节假日安排) per year, and the rule behind each step's
-- deadline.

create table calendar_years (
    year        int primary key check (year between 2000 and 2100),
    source      text not null,
    updated_at  timestamptz not null default now(),
    updated_by  uuid references users(id)
);

create table calendar_days (
    day   date primary key,
    year  int not null references calendar_years(year) on delete cascade,
    kind  text not null check (kind in ('holiday','workday')),
    name  text not null default '',
    check (extract(year from day) = year)
);

alter table escalation_steps
    add column due_rule_zh  text not null default '',
    add column due_rule_en  text not null default '',
    add column due_warnings text[] not null default '{}';

---- create above / drop below ----

alter table escalation_steps drop column due_rule_zh, drop column due_rule_en, drop column due_warnings;
drop table calendar_days;
drop table calendar_years;
