DROP INDEX scores_review_points;
