CREATE DOMAIN public.code AS text DEFAULT 'x';
CREATE DOMAIN public.country_code AS text;
CREATE TABLE public.t (id int PRIMARY KEY);
