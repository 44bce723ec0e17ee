CREATE TABLE public.r (id int, region text NOT NULL) PARTITION BY LIST (region);
CREATE TABLE public.r_eu PARTITION OF public.r FOR VALUES IN ('de', 'fr');
CREATE TABLE public.r_other PARTITION OF public.r DEFAULT;
