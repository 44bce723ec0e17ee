-- no rows: the new NOT NULL column without a default can be added
SELECT 1;
