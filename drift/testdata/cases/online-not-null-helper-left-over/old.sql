CREATE TABLE public.t (id int PRIMARY KEY, name text);
-- an interrupted online SET NOT NULL left its helper check
ALTER TABLE public.t ADD CONSTRAINT name__schemactl_not_null CHECK (name IS NOT NULL) NOT VALID;
