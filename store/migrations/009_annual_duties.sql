-- The dated duties of a unit's year besides its task list: integrity commitment (勤廉承诺),
-- double report (双报告), special meetings, and integrity talks (廉政谈话) tracked per pair.

create table annual_duties (
    id                 uuid primary key,
    signoff_id         uuid not null, -- the year's sign-off id; its row may be written a moment later
    unit_id            uuid not null references org_units(id),
    year               int  not null,
    kind               text not null check (kind in ('integrity_commitment','double_report_party','double_report_discipline',
                           'discipline_report_own_committee','midyear_meeting','yearend_meeting','integrity_talk')),
    subject_person_id  uuid references people(id),
    subject_unit_id    uuid references org_units(id),
    due_at             timestamptz not null,
    due_rule_zh        text not null default '',
    due_rule_en        text not null default '',
    state              text not null default 'pending' check (state in ('pending','done')),
    done_on            date,
    done_by            uuid references users(id),
    note               text not null default '',
    overdue            boolean not null default false,
    escalation_id      uuid references escalations(id),
    check ((kind = 'integrity_talk') = (subject_person_id is not null))
);
create index annual_duties_signoff on annual_duties(signoff_id, due_at);
create index annual_duties_pending on annual_duties(year, state, due_at);

---- create above / drop below ----

drop table annual_duties;
