-- One member's rows over a period (a response moving its dealer's and
-- station's league rows, a member's scores): without this index the
-- planner may read the period's rows of every member of the kind through
-- survey_aggregates_kind_day and filter them, as the primary key puts the
-- station and dealer before the day.
CREATE INDEX survey_aggregates_member_day ON survey_aggregates (subject_kind, subject_id, day);
