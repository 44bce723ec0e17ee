CREATE COLLATION public.ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
CREATE TABLE public.t (id int PRIMARY KEY, name text COLLATE public.ci);
