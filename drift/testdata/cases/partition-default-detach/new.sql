CREATE TABLE public.r (id int, region text NOT NULL) PARTITION BY LIST (region);
CREATE TABLE public.r_eu PARTITION OF public.r FOR VALUES IN ('de', 'fr');
-- the rest is kept aside as a table of its own
CREATE TABLE public.r_other (id int, region text NOT NULL);
