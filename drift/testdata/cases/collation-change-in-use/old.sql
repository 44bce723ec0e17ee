CREATE COLLATION public.c1 (provider = icu, locale = 'fr-FR');
CREATE TABLE public.t (id int PRIMARY KEY, s text COLLATE public.c1);
