-- The ranking reads the tie-break criterion's points by (review, criterion): this index answers
-- the probe without a visit to the table row (the unique index on the pair stays the rule).
CREATE INDEX scores_review_points ON scores (review_id, criterion_id, points);
